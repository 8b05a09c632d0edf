import { Pair } from "@tongbu/pair"
import { check } from "./Check.js"
import { demo } from "./Demo.js"
import { mockErp } from "./MockErp.js"
import { sections } from "./Sections.js"
import * as Settings from "./Settings.js"
import * as Sides from "./Sides.js"
import * as Template from "./Template.js"

/** The WeChat hub (left) and the Zhibang ERP (right): the pair `tongbu` runs when `tongbu.yaml` names none. */
export const pair = Pair.make({
  name: "hub-zhibang",
  description: "Keep the WeChat hub (微信中台) and the Zhibang ERP (智邦国际ERP) in sync, both ways, safely",
  labels: { left: "hub", right: "ERP", zh: { left: "中台", right: "ERP" } },
  sections,
  forbiddenKeys: Settings.forbiddenKeys,
  settings: Settings.resolve,
  policy: Sides.policyOf,
  layer: (settings, options) => Sides.layer(settings, options),
  init: {
    title: "the WeChat hub <-> Zhibang ERP sync",
    environment: Settings.variables,
    sections: Template.sections,
    next: Template.next
  },
  check,
  metrics: [Sides.erpCallSeconds],
  commands: (kit) => [mockErp(kit), demo(kit)]
})

export default pair

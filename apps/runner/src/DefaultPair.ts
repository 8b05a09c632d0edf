import { pair } from "@tongbu/pair-hub-zhibang"

/** The pair a configuration without `pair:` runs, so that every `tongbu.yaml` written before pairs keeps working. */
export const defaultPair = pair

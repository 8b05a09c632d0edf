/** A mainland mobile anywhere in a text, optionally behind +86/86 and separated by spaces or dashes. */
const MOBILE = /(?<![\d])((?:\+?86[\s-]?)?1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/g

/**
 * `13800138000` → `138****8000`, wherever mobiles occur in a text (`+86 138-0013-8000` → `+86 138****8000`): for
 * anything that reaches a log, an error or a report. The one masking every package uses.
 */
export const maskMobiles = (text: string): string =>
  text.replace(MOBILE, (_, head: string, _mid: string, tail: string) => `${head}****${tail}`)

/** Masks mainland mobile numbers in free text (`13800138000` → `138****8000`), for anything that reaches a log. */
export const maskMobiles = (text: string): string =>
  text.replace(
    /(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)/g,
    (_, head: string, _middle: string, tail: string) => `${head}****${tail}`
  )

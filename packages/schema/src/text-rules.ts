// \p{Cc}: C0 and C1 control characters, DEL and NUL (which PostgreSQL text cannot hold); \p{Cs} in a `u` regex:
// a lone surrogate (a well-formed pair is one code point), which no UTF-8 encoder can write.
const CONTROL = /\p{Cc}/u;
const CONTROL_EXCEPT_LAYOUT = /[^\P{Cc}\n\r\t]/u;
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Why a user-given string cannot be stored or shown on one line (undefined: it can). Names, tags and token names
 * are one-line labels; `multiline` text (notes) may hold newlines and tabs. One rule for every such field.
 */
export function unprintableReason(text: string, options: { multiline?: boolean } = {}): string | undefined {
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode (it contains a lone surrogate)';
  if ((options.multiline ? CONTROL_EXCEPT_LAYOUT : CONTROL).test(text)) {
    return options.multiline
      ? 'must not contain control characters other than newlines and tabs'
      : 'must not contain control characters';
  }
  return undefined;
}

// Text a server chose, made safe to print on a terminal: the narration quotes it, never obeys it.

/**
 * Text from the server (its Status message, a certificate's subject, a user name) shown safely on a terminal: C0
 * and C1 control characters (escape sequences that move the cursor or rewrite what was printed, line breaks that
 * forge a line), DEL and the bidirectional overrides become \uXXXX.
 */
export function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

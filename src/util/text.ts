/** Short quotes of user text in messages. */

/** The text, cut to `max` characters with "..." when longer (so a message never quotes a whole field). */
export function truncate(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

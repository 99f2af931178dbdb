/** Markdown for RESULTS.md. */

/**
 * A table with a header row.
 * @param {string[]} header
 * @param {Array<Array<string | number>>} rows
 */
export function table(header, rows) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [
    line(header),
    line(header.map(() => "---")),
    ...rows.map((row) => line(row.map(String))),
  ].join("\n");
}

/**
 * A figure's section: a heading, then paragraphs and tables.
 * @param {string} title
 * @param {string[]} parts
 */
export function section(title, parts) {
  return [`## ${title}`, ...parts].join("\n\n");
}

/**
 * "met" or "missed" for a goal.
 * @param {boolean} met
 */
export function verdict(met) {
  return met ? "**met**" : "**missed**";
}

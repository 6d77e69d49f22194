/**
 * Edits between two words, counting a swap of two neighbouring letters as one
 * (optimal string alignment), so `stauts` is one edit from `status`.
 */
export function countEdits(a: string, b: string): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const distance: number[][] = Array.from({ length: rows }, (_, row) => Array.from({ length: columns }, (_, column) => (row === 0 ? column : column === 0 ? row : 0)));
  for (let row = 1; row < rows; row++) {
    for (let column = 1; column < columns; column++) {
      const cost = a[row - 1] === b[column - 1] ? 0 : 1;
      let best = Math.min(distance[row - 1]![column]! + 1, distance[row]![column - 1]! + 1, distance[row - 1]![column - 1]! + cost);
      if (row > 1 && column > 1 && a[row - 1] === b[column - 2] && a[row - 2] === b[column - 1]) best = Math.min(best, distance[row - 2]![column - 2]! + 1);
      distance[row]![column] = best;
    }
  }
  return distance[a.length]![b.length]!;
}

/**
 * The commands a mistyped first word may have meant: those one edit away,
 * and of those the ones of the word's own length when there are any (swapped
 * or wrong letters are likelier than a missing one: `stauts` is `status`, not
 * `stats`). Empty for a word that is no typo of a command, which then goes to
 * Claude Code as a prompt.
 */
export function suggestCommands(word: string, commands: readonly string[]): string[] {
  if (word.startsWith('-') || commands.includes(word)) return [];
  const close = commands.filter((command) => countEdits(word.toLowerCase(), command) <= 1);
  const sameLength = close.filter((command) => command.length === word.length);
  return sameLength.length ? sameLength : close;
}

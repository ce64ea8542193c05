/** A table name for the planner's data, from a file name or a source's title: user__ and safe characters, unique among `taken`. */
export function tableNameFor(file: string, taken: readonly string[]): string {
  const base = `user__${file.replace(/\.[^.]+$/, '').normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40) || 'data'}`;
  let name = base;
  for (let i = 2; taken.includes(name); i++) name = `${base}_${i}`;
  return name;
}

// The engine's messages are shared with the command line, and some say what to do in its flags. In the app the
// same thing is a control on screen: the advice names that control instead.
const FLAGS: [RegExp, string][] = [
  [/use --dry-run to write the job script and submit it yourself/, 'use Show job script and submit it yourself'],
  [/run (it )?again with --missing-only/, 'run again with Missing only (in Run options)'],
  [/\(--missing-only\)/, '(Missing only)'],
  [/\(furrow crop grow\|submit\)/, '(Grow here, or Submit to a cluster)'],
  [/with --allow-incomplete/, 'with Allow incomplete'],
  [
    /Use --overwrite new to keep the new values or --overwrite old to keep the stored ones/,
    'Set Overwrite (in Run options) to new to keep the new values, or to old to keep the stored ones',
  ],
  [
    /apply them without running again with `furrow dataset resolve .+ --run \d+ --overwrite new` \(the new values win\) or `--overwrite old` \(the stored ones stay\)/,
    'apply them without running again with Keep the new values or Keep the stored values',
  ],
  // What the What matters page's cases cannot answer: the designs are its buttons, the rest of the grid a run.
  [/: furrow sample .+ --design saltelli -n \d+$/, ' (Run a Saltelli design, below)'],
  [/: furrow sample .+ --design morris -n \d+$/, ' (Run a Morris design, below)'],
  [/: furrow sample .+ --design lhs -n \d+$/, " (the Study page's Random samples, or a design below)"],
  [/: furrow run .+ --missing-only$/, ' (Run, with Missing only in Run options)'],
  // A reduction the page asked for: the page says which (beside the output), in words.
  [/^--reduce (\S+)=(\S+): /, '$2 over $1: '],
];

export function inAppWords(message: string): string {
  return FLAGS.reduce((text, [flag, words]) => text.replace(flag, words), message);
}

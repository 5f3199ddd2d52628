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
];

export function inAppWords(message: string): string {
  return FLAGS.reduce((text, [flag, words]) => text.replace(flag, words), message);
}

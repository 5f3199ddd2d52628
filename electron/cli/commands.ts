// The one table of the `furrow` command line: each command and subcommand, its arguments, its options (what
// parseArgs reads, with the words its help shows), one example, and what its values complete to. The help
// (help.ts), the shell completion (completion.ts) and docs/cli.md (checked by test/integration/cli-help.test.ts)
// come from here.

/** What a value completes to in the shell. */
export type Completion =
  | { kind: 'choices'; choices: readonly string[] }
  | { kind: 'files' }
  | { kind: 'dirs' }
  | { kind: 'studies' }
  | { kind: 'plots' }
  | { kind: 'crops' }
  | { kind: 'examples' }
  | { kind: 'commands' };

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  readonly default?: string | boolean;
  /** The value's name in the help (`--workers N`). */
  readonly value?: string;
  readonly help: string;
  readonly complete?: Completion;
}

export interface ArgSpec {
  readonly name: string;
  readonly optional?: boolean;
  readonly complete?: Completion;
}

export interface CommandSpec {
  /** `run`, or `crop sow` for a subcommand. */
  readonly name: string;
  readonly summary: string;
  readonly args: readonly ArgSpec[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** More words under the usage: what the arguments are, what is printed. */
  readonly details?: string;
  readonly example: string;
  /** The JSON Schemas (docs/schemas/<name>.json) of what it prints as JSON. */
  readonly schemas?: readonly string[];
}

const STUDY: ArgSpec = { name: '<study>', complete: { kind: 'studies' } };
const JSON_OPTION = { type: 'boolean', help: 'print one JSON object (snake_case keys; docs/cli.md)' } as const;
const WORKERS = { type: 'string', value: 'N', help: 'run N cases at a time (default: the CPU count)' } as const;
const COMBO = {
  type: 'string',
  multiple: true,
  value: 'name=v1,v2,...',
  help: "replace (or add) a combo's values for this run; name=... means the values stored in the dataset (repeatable)",
} as const;
const CASES = {
  type: 'string',
  value: 'FILE',
  help: "the rows of a CSV, TSV, JSON or YAML file in place of the study's cases",
  complete: { kind: 'files' },
} as const;
const OVERWRITE = {
  type: 'string',
  default: 'error',
  value: 'error|new|old',
  help: 'a value that disagrees with a stored one: refuse (error), or let the new or the old one win',
  complete: { kind: 'choices', choices: ['error', 'new', 'old'] },
} as const;
const CROP_NAME = {
  type: 'string',
  value: 'C',
  help: "the crop's name (its folder crops/C)",
  complete: { kind: 'crops' },
} as const;

/** Options every command takes. */
export const COMMON_OPTIONS = {
  quiet: { type: 'boolean', short: 'q', help: 'print only errors (and the data asked for: --json, --events, tables)' },
  help: { type: 'boolean', short: 'h', help: 'this help' },
} as const satisfies Record<string, OptionSpec>;

export const COMMANDS = {
  init: {
    name: 'init',
    summary: 'make a new study folder from an example',
    args: [{ name: '<dir>', complete: { kind: 'dirs' } }],
    options: {
      example: {
        type: 'string',
        value: 'NAME',
        help: 'the example to start from (default: foo; blank is one parameter, one output and a model to replace)',
        complete: { kind: 'examples' },
      },
      paramspace: {
        type: 'string',
        value: 'FILE',
        help: 'take the parameters from a paramspace YAML or a dantro run config (checked first; nothing is made on a mistake)',
        complete: { kind: 'files' },
      },
    },
    example: 'furrow init my-study --example random-walk',
  },
  run: {
    name: 'run',
    summary: "run the study's cases into its dataset and run database",
    args: [STUDY],
    options: {
      combo: COMBO,
      cases: CASES,
      workers: WORKERS,
      'missing-only': { type: 'boolean', help: 'run only the cases not done before' },
      'retry-failed': { type: 'boolean', help: 'run only the cases whose last attempt failed' },
      overwrite: OVERWRITE,
      'fail-fast': { type: 'boolean', help: 'stop at the first failed case' },
      'store-every': {
        type: 'string',
        value: 'SECONDS',
        help: 'store finished cases in the dataset and database at least this often (default 3)',
      },
      simulate: {
        type: 'boolean',
        help: 'say what a run would run (with --json: each case), and write it into a copy of the run database, .furrow-simulate/runs.sqlite; the study is not changed',
      },
      json: JSON_OPTION,
      events: { type: 'boolean', help: 'print every progress event as a JSON line on stdout' },
    },
    details:
      'exit status: 0 all cases done, 1 some cases failed or a write failed (a full disk: nothing of it kept),\n' +
      '2 bad input, 130 cancelled (Ctrl-C), 3 internal error',
    example: 'furrow run my-study --combo x=1,2,3 --workers 4 --missing-only',
    schemas: ['run', 'run-simulate', 'event'],
  },
  sample: {
    name: 'sample',
    summary: 'draw N random samples (or a sensitivity design) of the parameters and run them into the run database',
    args: [STUDY],
    options: {
      n: {
        type: 'string',
        short: 'n',
        value: 'N',
        help: 'the number of samples; of a design: saltelli base rows, morris trajectories, sobol or lhs points (required)',
      },
      design: {
        type: 'string',
        value: 'NAME',
        help: 'a design instead of random draws: saltelli (N·(k+2) cases), morris (N·(k+1)), sobol or lhs (N)',
        complete: { kind: 'choices', choices: ['saltelli', 'morris', 'sobol', 'lhs'] },
      },
      'second-order': {
        type: 'boolean',
        help: 'saltelli: also the cases second-order indices need (N·(2k+2) in all)',
      },
      levels: { type: 'string', value: 'L', help: 'morris: the levels of its grid, an even number (default 4)' },
      'keep-arrays': {
        type: 'string',
        value: 'SIZE',
        help: 'room in the run database for the outputs with dims of their own, for indices per coordinate: 500MB, 4GiB, 0 or all (default 1GiB; past it none are kept, and the run says so)',
      },
      seed: {
        type: 'string',
        value: 'S',
        help: 'the seed, a whole number from 0 to 2^32 - 1 (default: drawn, and said)',
      },
      set: {
        type: 'string',
        multiple: true,
        value: 'name=DIST',
        help: 'the distribution of a parameter: [values] or {uniform|loguniform|normal|randint: [a, b]} (repeatable)',
      },
      workers: WORKERS,
      'fail-fast': { type: 'boolean', help: 'stop at the first failed case' },
      json: JSON_OPTION,
    },
    details:
      "a design maps its points through each distribution's inverse CDF (a list is a uniform choice); the run\n" +
      'database records the design, so furrow sensitivity knows which case is which',
    example: "furrow sample my-study -n 100 --seed 7 --set x='{uniform: [0, 1]}'",
    schemas: ['sample'],
  },
  sensitivity: {
    name: 'sensitivity',
    summary: 'which parameters matter: Sobol, Morris or given-data indices of the outputs, with 95 % intervals',
    args: [STUDY],
    options: {
      output: {
        type: 'string',
        multiple: true,
        value: 'NAME',
        help: 'an output to analyse (repeatable; default: every output; one with dims of its own per coordinate)',
      },
      reduce: {
        type: 'string',
        multiple: true,
        value: 'DIM=OP',
        help: "reduce an output's own dim first, as plots do: mean, median, min, max, std or sum (repeatable)",
      },
      method: {
        type: 'string',
        value: 'NAME',
        help: 'sobol (a saltelli design), morris (a morris design), given-data (any cases) or grid (a full grid); default: what the latest design allows',
        complete: { kind: 'choices', choices: ['sobol', 'morris', 'given-data', 'grid'] },
      },
      resamples: { type: 'string', value: 'B', help: 'bootstrap resamples for the intervals (default 1000)' },
      json: JSON_OPTION,
    },
    details:
      'sobol: first order S1 (Saltelli 2010), total order ST (Jansen), S2 with --second-order designs;\n' +
      'morris: mu, mu* and sigma of the elementary effects; given-data: S1 from any cases (binned);\n' +
      'grid: exact main effects and S1 of a full grid of combos. An output with dims of its own gets its indices\n' +
      'at each coordinate, after --reduce of the dims named: from the run database for a sample (furrow sample\n' +
      '--keep-arrays), from the dataset for a grid. Exit status 2 when the cases cannot answer, with what to run',
    example: 'furrow sensitivity my-study --output y --method sobol --reduce time=mean',
    schemas: ['sensitivity'],
  },
  adapt: {
    name: 'adapt',
    summary: 'learn an output over ranges of parameters: each point chosen where the output changes fastest',
    args: [STUDY],
    options: {
      param: {
        type: 'string',
        multiple: true,
        value: 'x=LO:HI',
        help: 'a numeric parameter of the study to learn and its range (repeatable, up to 4; required)',
      },
      output: { type: 'string', value: 'NAME', help: 'the scalar output to learn (required)' },
      loss: {
        type: 'string',
        default: 'default',
        value: 'default|curvature|uniform',
        help: 'how the learners score where to sample next',
        complete: { kind: 'choices', choices: ['default', 'curvature', 'uniform'] },
      },
      goal: {
        type: 'string',
        multiple: true,
        value: 'loss=L|points=N|seconds=S',
        help: 'when to stop: the loss at or below L, N points in all, or S seconds of this run; the first met ends (repeatable; required)',
      },
      workers: WORKERS,
      json: {
        type: 'boolean',
        help: 'print progress as JSON lines on stdout, the summary last (snake_case keys; docs/cli.md)',
      },
    },
    details:
      'The other parameters stay combos (a learner for each combination) or constants. Each point is a case in the\n' +
      'run database (a run of kind adaptive); the points go into data/<name>.adapt.nc along a point dim. Run it\n' +
      'again with the same --param and --output to go on: every stored point is told to the learners, none is\n' +
      'evaluated again. Exit status: 0 a goal met, 2 bad input, 130 stopped (Ctrl-C; what finished is kept)',
    example: 'furrow adapt my-study --param x=-1:1 --output y --goal loss=0.01 --workers 4',
    schemas: ['adapt'],
  },
  db: {
    name: 'db',
    summary: 'the cases table of the run database (--runs: the runs)',
    args: [STUDY],
    options: {
      format: {
        type: 'string',
        default: 'table',
        value: 'table|csv|json',
        help: 'how to print the rows',
        complete: { kind: 'choices', choices: ['table', 'csv', 'json'] },
      },
      where: {
        type: 'string',
        value: 'EXPR',
        help: 'an SQL condition on the columns (read-only, stopped after 2 s)',
      },
      simulate: {
        type: 'boolean',
        help: 'the copy the last `furrow run --simulate` wrote (.furrow-simulate/runs.sqlite): its cases are `simulated`',
      },
      runs: {
        type: 'boolean',
        help: "the runs instead of the cases: counts, the model files' hash and backup, undeclared outputs",
      },
    },
    example: `furrow db my-study --where "_status = 'failed'" --format csv`,
    schemas: ['db', 'db-runs'],
  },
  'dataset expand-dims': {
    name: 'dataset expand-dims',
    summary: 'a constant becomes a new dim of length 1 (the file is backed up first)',
    args: [STUDY, { name: 'NAME' }, { name: 'VALUE' }],
    options: { json: JSON_OPTION },
    example: 'furrow dataset expand-dims my-study k 3',
    schemas: ['dataset'],
  },
  'dataset drop': {
    name: 'dataset drop',
    summary: 'remove those coordinate values and their cells (the file is backed up first)',
    args: [STUDY, { name: 'NAME=V1,V2,...' }],
    options: { json: JSON_OPTION },
    example: 'furrow dataset drop my-study x=2,5',
    schemas: ['dataset'],
  },
  'dataset resolve': {
    name: 'dataset resolve',
    summary: 'apply what a run kept when the dataset refused it (its side file), without running it again',
    args: [STUDY],
    options: {
      run: { type: 'string', value: 'N', help: "the run's run_seq, as `furrow run` named it (required)" },
      overwrite: {
        type: 'string',
        value: 'new|old',
        help: 'where a kept value and a stored one differ: new (the kept one wins) or old (the stored one stays); required',
        complete: { kind: 'choices', choices: ['new', 'old'] },
      },
      json: JSON_OPTION,
    },
    details:
      'A run refused by its dataset (--overwrite error, exit 2) keeps its scalars in the run database (status\n' +
      'conflict) and its outputs in data/<name>.<run_seq>.conflict.nc. This merges that file into the dataset,\n' +
      'records the cases done and moves the file into backups/. Run again after a kill; a second time changes nothing.',
    example: 'furrow dataset resolve my-study --run 3 --overwrite new',
    schemas: ['dataset-resolve'],
  },
  inspect: {
    name: 'inspect',
    summary:
      "the whole tree of any HDF5/NetCDF4 file: each group's dims, coords (CF-decoded: dates), variables, links, attrs",
    args: [{ name: '<file.nc|.h5>', complete: { kind: 'files' } }],
    options: {
      path: { type: 'string', value: '/GROUP', help: 'only the group at this path, and the groups below it' },
      json: JSON_OPTION,
    },
    example: 'furrow inspect my-study/data/foo.nc',
    schemas: ['inspect'],
  },
  combine: {
    name: 'combine',
    summary: 'the multiverse: PATH of every case folder as one array over the parameter dims',
    args: [STUDY, { name: 'PATH' }],
    options: {
      out: {
        type: 'string',
        value: 'FILE.nc',
        help: "where to write it (default: the study's data/multiverse/)",
        complete: { kind: 'files' },
      },
      json: JSON_OPTION,
    },
    details: 'PATH is file.h5:/group/dataset inside each case folder; NaN where no case is done.',
    example: 'furrow combine my-study data.h5:/abm/mean_energy --out energy.nc',
    schemas: ['combine'],
  },
  export: {
    name: 'export',
    summary: 'the saved plots (plots.yaml) as PDF, SVG or PNG files, drawn in Chromium',
    args: [STUDY],
    options: {
      plots: {
        type: 'string',
        value: 'FILE',
        help: "the plots file (default: the study's plots.yaml)",
        complete: { kind: 'files' },
      },
      only: {
        type: 'string',
        multiple: true,
        value: 'NAME',
        help: 'only this plot (repeatable)',
        complete: { kind: 'plots' },
      },
      format: {
        type: 'string',
        default: 'pdf',
        value: 'pdf|svg|png',
        help: 'the file format',
        complete: { kind: 'choices', choices: ['pdf', 'svg', 'png'] },
      },
      out: {
        type: 'string',
        value: 'DIR',
        help: 'the folder to write into (default: eval/<timestamp>/)',
        complete: { kind: 'dirs' },
      },
      chromium: {
        type: 'string',
        value: 'PATH',
        help: 'the Chromium or Chrome to draw with (default: FURROW_CHROMIUM, or found on this machine)',
        complete: { kind: 'files' },
      },
      size: {
        type: 'string',
        value: 'auto|column|two-column|slide|WxH(mm|in)',
        help: 'the figure size: one column 89 mm, two columns 183 mm, a 16:9 slide, or your own (89x60mm, 3.5x2.5in)',
        complete: { kind: 'choices', choices: ['auto', 'column', 'two-column', 'slide'] },
      },
      'font-size': { type: 'string', value: 'PT', help: "the font size in points (default: the size's)" },
      dpi: { type: 'string', value: 'N', help: 'dots per inch of a PNG (default 144, 300 with --size)' },
    },
    details: 'Each file is written with its resolved spec beside it; the paths written are printed.',
    example: 'furrow export my-study --only energy --size column',
  },
  serve: {
    name: 'serve',
    summary: 'the app in a browser, on 127.0.0.1, with a token in its URL',
    args: [{ ...STUDY, optional: true }],
    options: {
      port: { type: 'string', value: 'P', help: 'the port (default 8787, or the next free one; 0: any)' },
      host: {
        type: 'string',
        default: '127.0.0.1',
        value: 'H',
        help: 'listen elsewhere than this machine (warned: anyone with the URL can run models)',
      },
    },
    example: 'furrow serve my-study --port 8800',
  },
  'crop sow': {
    name: 'crop sow',
    summary: 'the cases into crops/C/batches, to grow anywhere',
    args: [STUDY],
    options: {
      name: CROP_NAME,
      'batch-size': { type: 'string', value: 'B', help: 'B cases a batch' },
      batches: { type: 'string', value: 'N', help: 'N batches (in place of --batch-size)' },
      combo: COMBO,
      cases: CASES,
      'missing-only': { type: 'boolean', help: 'only the cases not done before' },
      shuffle: { type: 'string', value: 'SEED', help: 'deal the cases into batches in a shuffled order' },
      json: JSON_OPTION,
    },
    example: 'furrow crop sow my-study --name night --batch-size 50',
    schemas: ['crop-sow'],
  },
  'crop grow': {
    name: 'crop grow',
    summary: 'grow the missing batches here',
    args: [STUDY],
    options: { name: CROP_NAME, workers: WORKERS, json: JSON_OPTION },
    example: 'furrow crop grow my-study --name night --workers 2',
    schemas: ['crop-status'],
  },
  'crop submit': {
    name: 'crop submit',
    summary: 'an array job growing the missing batches on a cluster',
    args: [STUDY],
    options: {
      name: CROP_NAME,
      scheduler: {
        type: 'string',
        value: 'slurm|pbs|sge',
        help: 'the cluster scheduler (required)',
        complete: { kind: 'choices', choices: ['slurm', 'pbs', 'sge'] },
      },
      time: { type: 'string', value: 'H:M:S', help: 'the time limit of each task' },
      mem: { type: 'string', value: '4G', help: 'the memory of each task' },
      'cpus-per-task': { type: 'string', value: 'N', help: 'the CPUs of each task' },
      partition: { type: 'string', value: 'P', help: 'the partition (queue)' },
      option: { type: 'string', multiple: true, value: 'KEY=VALUE', help: 'another scheduler option (repeatable)' },
      setup: {
        type: 'string',
        multiple: true,
        value: 'LINE',
        help: "a shell line the job runs first, e.g. 'module load node' (repeatable)",
      },
      'dry-run': { type: 'boolean', help: 'write and print the job script, submit nothing' },
      json: JSON_OPTION,
    },
    example: "furrow crop submit my-study --name night --scheduler slurm --time 2:00:00 --setup 'module load node'",
    schemas: ['crop-submit'],
  },
  'crop status': {
    name: 'crop status',
    summary: 'each batch: missing, pending, running, grown, failed, reaped',
    args: [STUDY],
    options: { name: CROP_NAME, json: JSON_OPTION },
    example: 'furrow crop status my-study --name night',
    schemas: ['crop-status'],
  },
  'crop reap': {
    name: 'crop reap',
    summary: 'the grown batches into the dataset and the run database',
    args: [STUDY],
    options: {
      name: CROP_NAME,
      'allow-incomplete': { type: 'boolean', help: 'reap what is grown while batches are still missing' },
      keep: { type: 'boolean', help: "keep the crop's folder once it is reaped whole" },
      overwrite: OVERWRITE,
      json: JSON_OPTION,
      events: { type: 'boolean', help: 'print every progress event as a JSON line on stdout' },
    },
    example: 'furrow crop reap my-study --name night',
    schemas: ['crop-reap', 'event'],
  },
  'crop cancel': {
    name: 'crop cancel',
    summary: "cancel the crop's queued and running cluster jobs",
    args: [STUDY],
    options: { name: CROP_NAME, json: JSON_OPTION },
    example: 'furrow crop cancel my-study --name night',
    schemas: ['crop-cancel'],
  },
  'grow-batch': {
    name: 'grow-batch',
    summary: 'grow one batch of a crop (what a cluster task runs)',
    args: [{ name: '<crop-dir>', complete: { kind: 'dirs' } }, { name: '<k>' }],
    options: { workers: WORKERS },
    example: 'furrow grow-batch my-study/crops/night 3',
  },
  doctor: {
    name: 'doctor',
    summary: 'what Furrow found on this machine and what it needs, each line ok or what to do',
    args: [{ ...STUDY, optional: true }],
    options: { json: JSON_OPTION },
    details:
      'Checks Node, the build, Chromium (export), poppler (optional), SLURM/PBS/SGE, free disk space, and with a\n' +
      'study: that it opens, its lock, its run database (quick_check) and its dataset. Exit 0 when all the study needs is there.',
    example: 'furrow doctor my-study',
    schemas: ['doctor'],
  },
  completion: {
    name: 'completion',
    summary: 'print the completion script of a shell',
    args: [{ name: 'bash|zsh|fish', complete: { kind: 'choices', choices: ['bash', 'zsh', 'fish'] } }],
    options: {},
    details:
      'bash: furrow completion bash > ~/.local/share/bash-completion/completions/furrow\n' +
      'zsh:  furrow completion zsh > "${fpath[1]}/_furrow"\n' +
      'fish: furrow completion fish > ~/.config/fish/completions/furrow.fish',
    example: 'furrow completion bash > ~/.local/share/bash-completion/completions/furrow',
  },
  help: {
    name: 'help',
    summary: 'the help of a command',
    args: [{ name: '<command>', optional: true, complete: { kind: 'commands' } }],
    options: {},
    example: 'furrow help crop submit',
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

/** Commands with subcommands, and their verbs. */
export const GROUPS: Readonly<Record<string, string>> = {
  dataset: 'change the dataset of a study: expand-dims, drop, resolve',
  crop: 'batches of cases to grow anywhere, on clusters too: sow, grow, submit, status, reap, cancel',
};

export function subcommandsOf(group: string): string[] {
  return Object.keys(COMMANDS)
    .filter((name) => name.startsWith(`${group} `))
    .map((name) => name.slice(group.length + 1));
}

/** The top-level words: commands and groups, in the table's order. */
export function topLevel(): string[] {
  return [...new Set(Object.keys(COMMANDS).map((name) => name.split(' ')[0]!))];
}

export function commandSpec(name: string): CommandSpec | undefined {
  return Object.hasOwn(COMMANDS, name) ? (COMMANDS as Record<string, CommandSpec>)[name] : undefined;
}

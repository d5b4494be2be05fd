/**
 * Every command and its flags, described once: the parser checks against these, `--help` prints them.
 * Nothing here imports the pipeline, so `crm-import --help` answers without loading it.
 */

export interface FlagSpec {
  type: 'string' | 'boolean';
  /** What the value looks like, for help and errors: `N/SECONDS`. */
  value?: string;
  /** Shown in help; the command applies it. */
  default?: string;
  help: string;
}

export interface CommandSpec {
  name: CommandName;
  /** The positional arguments, as the synopsis shows them. */
  args: string;
  /** How many positionals it takes. */
  positionals: { min: number; max: number };
  summary: string;
  flags: Record<string, FlagSpec>;
  examples: string[];
}

export const COMMAND_NAMES = ['run', 'check', 'retry', 'up', 'sandbox'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

const TARGET: FlagSpec = {
  type: 'string',
  value: 'clarify|actuallycare',
  help: 'The CRM the records go to. Needed unless the files say which (a manifest entity, file names like companies.csv or leads.csv, a vendor export).',
};

/** How the commands that reach a target find it, and where the local runtime keeps its state. */
const CONNECTION: Record<string, FlagSpec> = {
  target: TARGET,
  'base-url': {
    type: 'string',
    value: 'URL',
    help: 'The real API, e.g. https://api.clarify.ai/v1/workspaces/WS. Without it: the local sandbox, whose records are kept in the data dir (crm-import sandbox --reset forgets them).',
  },
  'api-key-env': {
    type: 'string',
    value: 'NAME',
    default: 'CLARIFY_API_KEY or ACTUALLYCARE_API_KEY',
    help: 'The environment variable holding the API key (the key itself is never an argument and never logged).',
  },
  'session-token-env': {
    type: 'string',
    value: 'NAME',
    default: 'ACTUALLYCARE_SESSION_TOKEN',
    help: 'ActuallyCare: the environment variable holding a signed-in session token, the only credential its contacts take.',
  },
  rate: {
    type: 'string',
    value: 'N/SECONDS',
    default: '3000/60 for Clarify, 500/900 for ActuallyCare',
    help: "The target's rate limit: N requests per SECONDS, reads and writes together.",
  },
  'data-dir': {
    type: 'string',
    value: 'DIR',
    default: '.crm-import',
    help: 'Where the local runtime keeps its bucket, the reports and the local sandbox records.',
  },
};

const JSON_FLAG: FlagSpec = {
  type: 'boolean',
  help: 'Print one JSON object on stdout at the end (the view goes to stderr).',
};

export const COMMANDS: Record<CommandName, CommandSpec> = {
  run: {
    name: 'run',
    args: '<file-or-folder>...',
    positionals: { min: 1, max: Number.POSITIVE_INFINITY },
    summary:
      'Import CSV exports (a file, a folder with its manifest, or a fixed failures.csv) through the pipeline on this machine.',
    flags: {
      ...CONNECTION,
      limit: { type: 'string', value: 'N', help: 'Import only the first N data rows of the job.' },
      marker: {
        type: 'string',
        value: 'TAG',
        default: 'import-YYYY-MM',
        help: 'ActuallyCare: the tag stamped on every created record.',
      },
      'on-existing': {
        type: 'string',
        value: 'skip|update',
        default: 'skip',
        help: 'What happens to a row whose record already exists: leave it, or fill its blank fields.',
      },
      overwrite: {
        type: 'boolean',
        help: 'With --on-existing update: replace fields that already have a value too.',
      },
      'dry-run': {
        type: 'boolean',
        help: 'Plan the import and write nothing to the target: plan.csv says what each row would do.',
      },
      json: JSON_FLAG,
    },
    examples: [
      'crm-import run examples/clarify --target clarify --rate 10/5',
      'crm-import run my-export/ --target clarify --dry-run',
      'CLARIFY_API_KEY=... crm-import run my-export/ --target clarify --base-url https://api.clarify.ai/v1/workspaces/WS',
      'crm-import run .crm-import/reports/<job>/failures.csv    # the fixed failures, dropped back in',
    ],
  },
  check: {
    name: 'check',
    args: '[file-or-folder...]',
    positionals: { min: 0, max: Number.POSITIVE_INFINITY },
    summary:
      'Check a target read-only: the credentials, read access to what the files need (or to everything), the workspace, the rate limit.',
    flags: { ...CONNECTION, json: JSON_FLAG },
    examples: [
      'crm-import check --target clarify',
      'CLARIFY_API_KEY=... crm-import check my-export/ --target clarify --base-url https://api.clarify.ai/v1/workspaces/WS',
    ],
  },
  retry: {
    name: 'retry',
    args: '[job]',
    positionals: { min: 0, max: 1 },
    summary:
      'Run one pass of the retry schedule: re-run the retryable and held rows of every job that is due, or of the named job now.',
    flags: CONNECTION,
    examples: [
      'crm-import retry --target clarify',
      'crm-import retry clarify-manifest-d2aef91cb0 --target clarify',
    ],
  },
  up: {
    name: 'up',
    args: '',
    positionals: { min: 0, max: 0 },
    summary:
      'Keep the local runtime running: every file dropped into s3://crm-import/imports/ starts an import, shown as it runs.',
    flags: {
      ...CONNECTION,
      's3-port': { type: 'string', value: 'PORT', default: '4569', help: 'The port of the local S3 server.' },
      'retry-every': {
        type: 'string',
        value: 'MINUTES',
        default: '15',
        help: 'How often the retry schedule looks for rows to re-run.',
      },
    },
    examples: [
      'crm-import up --target clarify',
      'crm-import up --target actuallycare --s3-port 4570 --retry-every 5',
    ],
  },
  sandbox: {
    name: 'sandbox',
    args: '',
    positionals: { min: 0, max: 0 },
    summary:
      'Start a strict simulator of a target API on its own and print its base URL; or, with --reset, forget the records of the local sandbox `run` uses.',
    flags: {
      target: { ...TARGET, help: 'Which API to simulate.' },
      port: { type: 'string', value: 'N', default: '0 (a free port)', help: 'The port to listen on.' },
      'api-key': { type: 'string', value: 'KEY', default: 'sandbox-key', help: 'The key it accepts.' },
      rate: { type: 'string', value: 'N/SECONDS', help: 'Its rate limit (default: the documented one).' },
      variant: {
        type: 'string',
        value: 'NAME=VALUE,...',
        help: 'Where the references conflict, which candidate to simulate (the README lists them).',
      },
      seed: { type: 'string', value: 'FILE', help: 'A JSON file of records to start with.' },
      faults: {
        type: 'string',
        value: 'KIND=RATE,...',
        help: 'Inject failures at seeded random rates: 5xx, 5xx-after, drop, slow, 429, seed, e.g. 5xx=0.03,429=0.02,seed=7.',
      },
      scopes: {
        type: 'string',
        value: 'JSON',
        help: 'ActuallyCare: the key\'s scopes, e.g. \'{"leads":["read","write"]}\'.',
      },
      'session-token': {
        type: 'string',
        value: 'TOKEN',
        help: 'ActuallyCare: the session token its contacts accept.',
      },
      reset: {
        type: 'boolean',
        help: 'Forget the records the local sandbox keeps in the data dir (of --target, or of both), then exit.',
      },
      'data-dir': CONNECTION['data-dir'] as FlagSpec,
    },
    examples: [
      'crm-import sandbox --target clarify --port 8080',
      'crm-import sandbox --target actuallycare --port 8081 --variant created=wrapped --faults 5xx=0.05,seed=1',
      'crm-import sandbox --reset',
    ],
  },
};

/** Flags every command takes. */
export const HELP_FLAG: FlagSpec = { type: 'boolean', help: 'Show this help.' };

// Commander wiring. Options are declared here so that `--help` never loads a command's code;
// each command module is imported only when that command runs (profile never loads the AWS SDK).
import { Command, CommanderError, Option } from 'commander';
import { EXIT_ERROR, isUserError } from './util/errors.js';
import { formatsOf } from './render/registry.js';
import { COLOUR_MODES, prepareColour, type ColourMode } from './render/style.js';
import { toolVersion } from './version.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('lambda-cold')
    .description('Find where a Python AWS Lambda cold start goes, and stop it from getting worse.')
    .version(`lambda-cold ${toolVersion()}`, '-V, --version', 'print the version ("lambda-cold <version>")')
    .helpOption('-h, --help', 'show help')
    // every command's: given before or after the command's name
    .addOption(
      new Option('--color <when>', 'colour in the reports: auto (a terminal, unless NO_COLOR or TERM=dumb; FORCE_COLOR forces it), always, never')
        .choices(COLOUR_MODES)
        .default('auto'),
    )
    .hook('preAction', async () => {
      await prepareColour(program.opts<{ color: ColourMode }>().color);
    })
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ showGlobalOptions: true }) // --color in every command's help
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) });
  program.addHelpText(
    'after',
    `
Exit codes: 0 ok, 1 a gate failed, 2 bad input or an error.
Documentation: ${decodeURIComponent(new URL('../README.md', import.meta.url).pathname)} (the package's README; the full reference is in docs/ beside it).`,
  );

  program
    .command('profile')
    .description(
      "Profile a Python handler's import the way a Lambda cold start pays for it: fresh interpreters under " +
        '`python -X importtime`, task root and layers on sys.path, a ranked report of the slowest imports.',
    )
    .argument('[target]', 'a handler .py file, a package directory, or a dotted module name (with --root)')
    .option('--root <dir>', 'the task root (what /var/task is); default: the folder of the file, or the current folder')
    .option('--layer <dir>', 'a layer folder, searched as /opt is (DIR/python/lib/pythonX.Y/site-packages, DIR/python; never DIR itself); repeatable, in Lambda order', collect, [])
    .option('--python <path>', 'the Python interpreter (default: $LAMBDA_COLD_PYTHON, python3, python); shims are resolved once. Repeat it to compare interpreters: the same handler on each, interleaved, against the first', collect)
    .option('--runs <n>', 'measured runs, each in a fresh interpreter (default: 10; 20 with --baseline, --save-baseline, --against or several --python)')
    .option('--warmup <n>', 'unmeasured warm-up runs; auto: one when the private bytecode cache is cold (first profile, changed sources), none when it is warm', 'auto')
    .addOption(
      new Option(
        '--bytecode <mode>',
        'cached: modules load from .pyc; compile: task root and layers compile from source every run (a package shipped without .pyc); both: measure the two, interleaved, and report what shipping .pyc saves',
      )
        .choices(['cached', 'compile', 'both'])
        .default('cached'),
    )
    .option('--no-pth', "start the interpreter without processing site-packages' .pth files (python -S, site-packages still on sys.path): what they import at start-up is then paid by the handler, as on Lambda")
    .option('--handler <module.function>', 'the handler function (default: <module>.lambda_handler, then <module>.handler)')
    .option('--invoke [event.json]', 'after the import (init), call the handler once with the event (default {}) and a Lambda-like context: the first request')
    .option('--warm <n>', 'with --invoke: warm calls after the first, in the same process', '5')
    .option('--advice <n>', 'at most this many suggestions, each with the milliseconds it saves (0: none)', '5')
    .option('--init-target <ms>', 'above this init (after the suggested changes), mention provisioned concurrency and SnapStart', '250')
    .option('--memory <MB>', "the function's memory size (128-10240): the advice says what a deferred import costs in the first request there (default: the function's, with --sam, --function-name or --remote)")
    .option('--function-name <function>', "read the deployed function's MemorySize (GetFunctionConfiguration) for the advice; --memory wins")
    .option('--memory-profile <sweep.json>', 'an `invoke --memory --json` document of the function: its measured first-call/init ratios replace the CPU-share estimate')
    .option('--runtime <python3.X>', "the function's runtime: warns when the local Python differs, and names the .pyc version to ship")
    .option('--sam <template.yaml>', 'profile each Python function of a SAM template (CodeUri, Handler, Runtime, local Layers)')
    .option('--function <LogicalId>', 'with --sam: only this function')
    .option('--from-file <file...>', 'analyse captured `-X importtime` output (from CI or a function\'s logs) instead of running Python')
    .option('--top <n>', 'rows in the ranked tables', '15')
    .option('--tree', 'print the import tree')
    .option(
      '--remote <function>',
      "measure the deployed function's imports inside Lambda (as `invoke --importtime`: PYTHONPROFILEIMPORTTIME on $LATEST, restored at the end); with a local target too, both per top-level package",
    )
    .option('--remote-count <n>', 'with --remote: cold starts to measure, all from one configuration update (default 3)')
    .option('--region <region>', "with --remote or --function-name: the AWS region (default: AWS_REGION, then the profile's region)")
    .option('--profile <name>', 'with --remote or --function-name: a named profile from the shared AWS config/credentials files (default: AWS_PROFILE)')
    .option('--endpoint-url <url>', 'with --remote or --function-name: send Lambda and CloudWatch Logs calls to this URL (an emulator)')
    .option('--logs-timeout <seconds>', 'with --remote: how long to wait for the logs to reach CloudWatch Logs', '30')
    .option('--max-depth <n>', 'with --tree: deepest level shown')
    .option('--min-ms <ms>', 'with --tree: hide subtrees cheaper than this (cumulative ms)')
    .option('--lines', "with --tree: under each of your modules, its costliest top-level statements (line, text, ms)")
    .option('--no-statements', "skip the attribution run (one more interpreter start, after the measured runs) that times each top-level statement of your modules")
    .option('--json', 'print one JSON document on stdout instead of the report')
    .option('--speedscope <file>', 'also write the import tree to this file in speedscope\'s format (open it at https://www.speedscope.app)')
    .option('--trace <file>', 'also write the import tree to this file as a Chrome trace (open it at https://ui.perfetto.dev)')
    .option('--html <file>', 'also write a self-contained HTML report to this file: the import tree as an icicle, the packages, the advice')
    .option('--timeout <seconds>', 'kill a run that takes longer than this', '60')
    // CI gate (docs/ci-gate.md); exit code 1 when a gate fails
    .option('--forbid <module|glob>', 'fail if this module (or a submodule; * and ? glob) is imported at init, showing the import chain; repeatable', collect, [])
    .option('--max-modules <n>', 'fail if the handler imports more modules than this at init')
    .option('--budget <ms>', "fail if the median of the handler's import exceeds this")
    .option('--budget-package <name=ms>', "fail if a top-level package's import (median, dependencies included) exceeds this; repeatable", collect, [])
    .option('--save-baseline <file>', 'write a baseline (environment, per-run samples, module medians) to compare later runs with')
    .option('--baseline <file>', 'compare with a saved baseline: new packages or modules, and timing regressions')
    .option('--against <git-ref>', 'measure that revision (a temporary git worktree) and the working tree interleaved, and compare them')
    .option('--max-regression <pct>', 'a regression needs the median to rise at least this many percent…', '10')
    .option('--min-delta <ms>', '…and at least this many ms, and to be significant (Mann–Whitney U, p < 0.01)', '5')
    .option('--allow-new <module|glob>', 'a new module or package the baseline comparison accepts; repeatable', collect, [])
    .option('--allow-env-mismatch', 'compare with a baseline made by another Python, platform or bytecode mode')
    .option('--no-confirm', 'fail timing gates on one batch of runs (default: a failure must hold in a second batch too)')
    .addOption(new Option('--format <format>', 'output format').choices(formatsOf('profile')).default('text'))
    .option('--config <file>', 'read settings from this file (default: lambda-cold.config.json, else [tool.lambda-cold] in pyproject.toml, in the current folder)')
    .option('--no-config', 'ignore configuration files')
    .addHelpText(
      'after',
      `
Examples:
  $ lambda-cold profile ./handler.py
  $ lambda-cold profile ./src/app/handler.py --root ./src --layer ./layers/deps
  $ lambda-cold profile app.handler --root ./src --runs 20 --tree --min-ms 5
  $ lambda-cold profile ./handler.py --bytecode compile        # as shipped without .pyc
  $ lambda-cold profile ./handler.py --bytecode both           # what shipping .pyc saves
  $ lambda-cold profile ./handler.py --invoke event.json --warm 5   # init, first request, warm requests
  $ lambda-cold profile --sam template.yaml --function OrdersFunction
  $ lambda-cold profile ./my-function/          # a function folder: finds lambda_function.py, handler.py, app.py…
  $ lambda-cold profile ./handler.py --python ~/.pyenv/versions/3.12.1/bin/python --json > profile.json
  $ python -X importtime -c "import handler" 2> imports.log && lambda-cold profile --from-file imports.log
  $ lambda-cold profile ./handler.py --forbid pandas --budget 300 --max-modules 400     # CI gate
  $ lambda-cold profile ./handler.py --against origin/main --format markdown            # base vs head
  $ lambda-cold profile ./handler.py --speedscope imports.speedscope.json --trace imports.trace.json
  $ lambda-cold profile ./handler.py --remote my-fn          # local ms, Lambda ms and ratio per package
  $ lambda-cold profile ./handler.py --memory 128            # what deferring an import costs the first request at 128 MB

Exit codes: 0 ok (every gate held), 1 a gate failed, 2 bad input or an error, 130 interrupted.`,
    )
    .action(async (target: string | undefined, options: Record<string, unknown>, command: Command) => {
      const { runProfile } = await import('./commands/profile.js');
      // which options were given on the command line (they override the configuration file)
      const explicit = new Set(Object.keys(options).filter((k) => command.getOptionValueSource(k) === 'cli'));
      process.exitCode = await runProfile(target, options, explicit);
    });

  program
    .command('package')
    .description(
      'Look at what a deployment ships (a folder or a .zip, and its layers): size per top-level package and per layer, ' +
        'the largest .so files, strippable files, packages never imported at init, the .pyc check, and Lambda\'s size limits.',
    )
    .argument('<path>', 'the function code: a folder (what /var/task holds) or a deployment .zip')
    .option('--layer <dir|zip>', 'a layer, as a folder or a .zip (what /opt holds); repeatable, in Lambda order', collect, [])
    .option('--runtime <python3.X>', "the function's runtime (default: the local Python's version): which .pyc files and site-packages it reads")
    .option('--python <path>', 'the local Python interpreter (default: $LAMBDA_COLD_PYTHON, python3, python)')
    .option('--profile-json <file>', 'a `lambda-cold profile --json` document: list what is shipped but never imported at init, and check the .pyc of each imported module')
    // the old name: --profile names an AWS profile in invoke and restore (one meaning per flag name)
    .addOption(new Option('--profile <profile.json>', 'deprecated: --profile-json').hideHelp())
    .option('--handler <module>', 'the handler (module, file or Lambda handler string) to import once to find out the same (a zip is extracted into a private temporary folder)')
    .option('--top <n>', 'rows in the tables', '15')
    .option('--json', 'print one JSON document on stdout instead of the report')
    .option('--timeout <seconds>', 'with --handler: stop an import that takes longer than this', '60')
    .addHelpText(
      'after',
      `
Examples:
  $ lambda-cold package ./build --runtime python3.12
  $ lambda-cold package function.zip --layer deps-layer.zip --runtime python3.12 --json
  $ lambda-cold profile ./build/handler.py --json > profile.json && lambda-cold package ./build --profile-json profile.json
  $ lambda-cold package function.zip --handler app.handler.lambda_handler --runtime python3.12

Exit codes: 0 ok, 2 bad input or an error, 130 interrupted.`,
    )
    .action(async (path: string, options: Record<string, unknown>) => {
      const { runPackage } = await import('./commands/package.js');
      process.exitCode = await runPackage(path, options);
    });

  const awsOptions = (cmd: Command): Command =>
    cmd
      .option('--region <region>', 'the AWS region (default: AWS_REGION, then the profile\'s region)')
      .option('--profile <name>', 'a named profile from the shared AWS config/credentials files (default: AWS_PROFILE)')
      .option(
        '--endpoint-url <url>',
        'send Lambda and CloudWatch Logs calls to this URL (an emulator); AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_LAMBDA and AWS_ENDPOINT_URL_CLOUDWATCH_LOGS are honoured too',
      );

  awsOptions(
    program
      .command('invoke')
      .description(
        'Invoke a deployed function and report its cold starts: cold vs warm per invocation (from the REPORT lines), ' +
          'init percentiles, the cold penalty and what cold starts cost. --cold forces every sample to be a cold start.',
      )
      .argument('<function>', 'function name, name:qualifier, or ARN')
      .option('--count <n>', 'invocations (with --cold: cold samples)', '10')
      .option('--concurrency <n>', 'invocations in flight at once (with --cold: cold starts per configuration update)', '1')
      .option('--cold', 'force a cold start for every sample by changing $LATEST\'s environment (restored at the end)')
      .option('--payload <json>', 'the event, as JSON (default: {})')
      .option('--payload-file <file>', 'read the event from a JSON file')
      .option('--qualifier <q>', 'a version or alias to invoke (not with --cold)'),
  )
    .option('--json', 'print one JSON document on stdout instead of the report')
    .option('--price-per-gb-s <usd>', 'USD per GB-second (default: the us-east-1 price for the function\'s architecture)')
    .option('--no-logs', 'do not read CloudWatch Logs (an invocation whose 4 KB tail lacks its REPORT stays unknown)')
    .option('--environments', 'also read every invocation\'s log stream (its execution environment) from CloudWatch Logs: the env column and the repeated-PID check')
    .option('--logs-timeout <seconds>', 'how long to wait for REPORT lines to reach CloudWatch Logs, and to back off while it throttles', '30')
    .option('--max-retries <n>', 'retries of a throttled (429) invoke before giving up', '5')
    .option(
      '--importtime',
      "profile the imports inside Lambda: set PYTHONPROFILEIMPORTTIME=1 on $LATEST (restored at the end), force --count cold starts (--concurrency per update), read each one's -X importtime lines from CloudWatch Logs and print profile's report",
    )
    .option('--top <n>', 'with --importtime: rows in the ranked tables', '15')
    .option('--tree', 'with --importtime: print the import tree')
    .option('--html <file>', 'also write a self-contained HTML report to this file: cold vs warm per invocation as a strip plot, the percentiles, the cost')
    .option('--memory <sizes>', 'with --cold: sweep these memory sizes in MB (128-10240, e.g. 128,512,1769): one update per size sets MemorySize with the nonce; restored at the end')
    .option('--warm <k>', 'with --memory: k warm invocations per size after its cold starts')
    .option('--cold-rate <percent>', "with --memory: the share of cold starts the cost per million assumes (default 5%)")
    .option('--cold-rate-from <logs.json>', 'with --memory: take that rate from a `lambda-cold logs --json` document')
    .option('--tolerance <percent>', 'with --memory: recommend the cheapest size whose cold start is within this of the fastest (default 10%)')
    .addHelpText(
      'after',
      `
Examples:
  $ lambda-cold invoke my-fn --count 20
  $ lambda-cold invoke my-fn --cold --count 20 --concurrency 10     # 2 configuration updates, 20 cold starts
  $ lambda-cold invoke my-fn:live --payload '{"path": "/"}' --json > invoke.json
  $ lambda-cold invoke my-fn --importtime --count 3 --concurrency 3 --tree   # the import tree as Lambda ran it
  $ lambda-cold invoke my-fn --cold --memory 128,512,1769 --count 10 --concurrency 10 --warm 3   # cold starts against memory size
  $ lambda-cold restore my-fn                                       # after an interrupted --cold run (exit 0 if nothing to do)

Exit codes: 0 ok, 2 an error (or the environment could not be restored safely), 130 interrupted.`,
    )
    .action(async (fn: string, options: Record<string, unknown>) => {
      const { runInvoke } = await import('./commands/invoke.js');
      process.exitCode = await runInvoke(fn, options);
    });

  awsOptions(
    program
      .command('logs')
      .description(
        "Analyse the cold starts real traffic got, from the functions' CloudWatch logs: invocations, cold starts and their rate, " +
          'init percentiles, cold and warm durations, errors, timeouts, re-inits, environments and what cold starts cost; ranked by total cold-start time.',
      )
      .argument('[function...]', 'function names or ARNs (or --all)')
      .option('--since <when>', 'start of the window: a duration back from now (30m, 1h, 2d, 1w) or an ISO time', '1h')
      .option('--until <when>', 'end of the window (default: now)')
      .option('--log-group <name>', "read this log group instead of the function's own (from its LoggingConfig); one function only")
      .addOption(
        new Option('--engine <engine>', 'filter: FilterLogEvents, every event read here; insights: CloudWatch Logs Insights queries (server side); auto: insights for a window of 24 h or more, or 10 functions or more')
          .choices(['auto', 'filter', 'insights'])
          .default('auto'),
      )
      .option('--all', 'every Python function of the region (ListFunctions), ranked by total cold-start time'),
  )
    .option('--json', 'print one JSON document on stdout instead of the report')
    .option('--price-per-gb-s <usd>', "USD per GB-second (default: the us-east-1 price for each function's architecture)")
    .option('--html <file>', 'also write a self-contained HTML report to this file: per function, histograms of init, cold and warm durations, the percentiles, the cold-start cost')
    .addHelpText(
      'after',
      `
Examples:
  $ lambda-cold logs my-fn                              # the last hour
  $ lambda-cold logs orders-api payments-api --since 2026-01-30T00:00:00Z --until 2026-01-31T00:00:00Z
  $ lambda-cold logs --all --since 7d --json > cold.json   # which of my functions hurt (Logs Insights)

Exit codes: 0 ok, 2 bad input or an error.`,
    )
    .action(async (names: string[], options: Record<string, unknown>) => {
      const { runLogsCommand } = await import('./commands/logs.js');
      process.exitCode = await runLogsCommand(names, options);
    });

  awsOptions(
    program
      .command('restore')
      .description(
        "Put back the environment an interrupted `invoke --cold` saved in its recovery file (only if nobody changed the function since).",
      )
      .argument('<function>', 'function name or ARN')
      .option('--remove-nonce', 'remove only the LAMBDA_COLD_NONCE variable a run left after somebody deployed over it'),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ lambda-cold restore my-fn                        # after an interrupted invoke --cold
  $ lambda-cold restore my-fn --region eu-west-1 --profile prod
  $ lambda-cold restore my-fn --remove-nonce         # a deploy kept lambda-cold's nonce variable: remove only it

Exit codes: 0 restored, already the original, or nothing to restore; 2 an error, or the function was changed since (not restored).`,
    )
    .action(async (fn: string, options: Record<string, unknown>) => {
    const { runRestore } = await import('./commands/restore.js');
    process.exitCode = await runRestore(fn, options);
  });

  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with code 0; every usage error is exit 2.
      process.exitCode = e.exitCode === 0 ? 0 : EXIT_ERROR;
      return;
    }
    if (isUserError(e)) {
      process.stderr.write(`lambda-cold: ${e.message}\n`);
      if (e.detail) process.stderr.write(`${e.detail.replace(/\n?$/, '\n')}`);
      process.exitCode = e.exitCode;
      return;
    }
    // A bug in lambda-cold itself: say so plainly, keep the stack for the bug report.
    process.stderr.write(`lambda-cold: internal error (please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = EXIT_ERROR;
  }
}

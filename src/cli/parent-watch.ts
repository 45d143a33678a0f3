// Stops a server whose starter is gone. A test suite that starts `npx kube-auth-mock serve` and stops it with
// SIGTERM signals npm, which exits without passing the signal on, and a killed test process signals nobody:
// either way the server would keep its port and its PKI folder until the machine restarts.

/** How `serve` learns that what started it is gone. */
export interface ParentWatchOptions {
  /** Stop when standard input reaches its end: a fixture holds a pipe open, and the kernel closes it however the fixture dies. */
  stdin: boolean;
  /** Stop when the parent process exits (this process is then re-parented, and its ppid changes). */
  parent: boolean;
  /** Called once, with why, when one of the watched things is gone. */
  onGone: (reason: string) => void;
}

/** How often the parent's pid is compared: node has no event for re-parenting (Linux's PR_SET_PDEATHSIG is out of reach). */
const PARENT_POLL_MS = 250;

/**
 * What `serve` watches, from --exit-with-parent (undefined when not given) and the environment. Given, the flag
 * watches both; not given, a server started through npm (`npm start`, `npx kube-auth-mock`, an npm script: npm sets
 * npm_lifecycle_event for what it runs, and passes no signal on to it) watches its parent; false watches nothing.
 * Standard input is only watched when asked for: a server started in the background has /dev/null there.
 */
export function parentWatchMode(exitWithParent: boolean | undefined, env: NodeJS.ProcessEnv): Pick<ParentWatchOptions, 'stdin' | 'parent'> {
  if (exitWithParent !== undefined) return { stdin: exitWithParent, parent: exitWithParent };
  return { stdin: false, parent: typeof env.npm_lifecycle_event === 'string' && env.npm_lifecycle_event !== '' };
}

/** The parent as the entry point saw it, before the commands loaded: one that dies while they load is still noticed. */
let launchParent: number | undefined;

/** Called first thing by the entry point (src/cli/main.ts). */
export function noteLaunchParent(pid: number): void {
  launchParent = pid;
}

/** Starts watching; the function it returns stops watching, so the process can exit once the server has stopped. */
export function watchParent(options: ParentWatchOptions): () => void {
  const cleanups: (() => void)[] = [];
  let gone = false;
  const report = (reason: string): void => {
    if (gone) return;
    gone = true;
    options.onGone(reason);
  };
  if (options.parent) {
    const parentPid = launchParent ?? process.ppid;
    // Started by init (pid 1, or a container's), there is no parent to lose.
    if (parentPid > 1) {
      const check = (): void => {
        if (process.ppid !== parentPid) report(`parent process ${parentPid} exited`);
      };
      const timer = setInterval(check, PARENT_POLL_MS);
      timer.unref();
      cleanups.push(() => clearInterval(timer));
      check();
    }
  }
  if (options.stdin) {
    const stdin = process.stdin;
    const ended = (): void => report('standard input closed');
    // Whatever arrives is not for us; reading it is what lets the end be seen.
    const discard = (): void => undefined;
    stdin.on('data', discard);
    stdin.once('end', ended);
    stdin.once('close', ended);
    // A read error (EIO from a terminal that went away) means the same as an end.
    stdin.once('error', ended);
    stdin.resume();
    cleanups.push(() => {
      stdin.off('data', discard);
      stdin.off('end', ended);
      stdin.off('close', ended);
      stdin.off('error', ended);
      // A paused stdin still holds the event loop open on some handles; destroying it lets the process exit.
      stdin.destroy();
    });
  }
  return () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
}

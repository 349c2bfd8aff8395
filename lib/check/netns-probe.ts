// What a one-host distributed TLC run needs before it starts: a private network namespace with a
// working loopback (TLC's RMI binds every interface, so tests run it where nothing else can reach
// it; port 10997 is then also ours). The tests skip with this reason rather than fail on a machine
// without `ip` (iproute2), without unprivileged user namespaces, or with a broken loopback.
import { spawnSync } from 'node:child_process';

/** Runs `sh -c script` inside `unshare -rn` (a user + network namespace); bounded at 10 s. */
function inNamespace(script: string, env: NodeJS.ProcessEnv): { ok: boolean; why: string } {
  const r = spawnSync('unshare', ['-rn', 'sh', '-c', script], { env, encoding: 'utf8', timeout: 10_000, shell: false });
  if (r.error) return { ok: false, why: r.error.message };
  const why = `${r.stderr ?? ''}`.trim().split('\n')[0] || `exit ${r.status ?? r.signal}`;
  return { ok: r.status === 0, why };
}

/** Why a loopback-only network namespace cannot be made here, in one line, or null when it can. */
export function loopbackNamespaceUnavailable(env: NodeJS.ProcessEnv = process.env): string | null {
  const made = inNamespace('true', env);
  if (!made.ok) return `no private network namespace (unshare -rn: ${made.why})`;
  const ip = inNamespace('command -v ip >/dev/null', env);
  if (!ip.ok) return "no `ip` command (iproute2) on PATH to bring up the namespace's loopback";
  const lo = inNamespace('ip link set lo up && ip -o addr show dev lo | grep -q "inet 127\\.0\\.0\\.1/"', env);
  if (!lo.ok) return `the namespace's loopback does not come up with 127.0.0.1 (${lo.why})`;
  return null;
}

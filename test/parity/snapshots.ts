// Where snapshots live (test/parity/snapshots/<group>/<name>.json) and which scenarios have one.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderSnapshot, type Snapshot } from './run.js';

export const SNAPSHOT_DIR = fileURLToPath(new URL('./snapshots/', import.meta.url));

/** The file of scenario `group/name`. */
export function snapshotFile(id: string): string {
  return join(SNAPSHOT_DIR, `${id}.json`);
}

export async function readSnapshot(id: string): Promise<Snapshot | undefined> {
  const file = snapshotFile(id);
  if (!existsSync(file)) return undefined;
  return JSON.parse(await readFile(file, 'utf8')) as Snapshot;
}

export async function writeSnapshot(snapshot: Snapshot): Promise<void> {
  const file = snapshotFile(snapshot.scenario);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, renderSnapshot(snapshot));
}

/** Every `group/name` that has a snapshot file. */
export async function listSnapshots(): Promise<string[]> {
  if (!existsSync(SNAPSHOT_DIR)) return [];
  const out: string[] = [];
  for (const group of await readdir(SNAPSHOT_DIR, { withFileTypes: true })) {
    if (!group.isDirectory()) continue;
    for (const f of await readdir(join(SNAPSHOT_DIR, group.name))) if (f.endsWith('.json')) out.push(`${group.name}/${f.slice(0, -'.json'.length)}`);
  }
  return out.sort();
}

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BriefFormat } from './brief.events.js';
import { parseBriefId } from './brief.events.js';
import { hasErrorCode } from '../platform/system-errors.js';

/** Where rendered briefs are kept; `BriefGenerated` records the location this returns. */
export abstract class BriefStorage {
  abstract write(briefId: string, files: ReadonlyMap<BriefFormat, Buffer>): Promise<string>;
  abstract read(location: string, format: BriefFormat): Promise<Buffer | null>;
}

const EXTENSION: Record<BriefFormat, string> = { pdf: 'pdf', html: 'html', md: 'md', json: 'json' };

/**
 * Files under `<dir>/<tenant>/<briefId>.<ext>` (embedded: `DATA_DIR/briefs`; in production a
 * volume every API instance and worker mounts). Each file is written to a temporary name and
 * renamed, so a worker killed mid-write leaves no half file under the final name.
 */
export class FileBriefStorage extends BriefStorage {
  constructor(private readonly dir: string) {
    super();
  }

  async write(briefId: string, files: ReadonlyMap<BriefFormat, Buffer>): Promise<string> {
    const key = parseBriefId(briefId);
    if (!key) throw new Error(`"${briefId}" is not a brief id`);
    const folder = join(this.dir, key.tenantId);
    await mkdir(folder, { recursive: true });
    for (const [format, content] of files) {
      const target = join(folder, `${briefId}.${EXTENSION[format]}`);
      const temporary = `${target}.${process.pid}.tmp`;
      await writeFile(temporary, content);
      await rename(temporary, target);
    }
    return `file:${key.tenantId}/${briefId}`;
  }

  async read(location: string, format: BriefFormat): Promise<Buffer | null> {
    const match = /^file:([a-z0-9-]+|_supralocal)\/((?:supralocal-)?brief__[A-Za-z0-9_-]+)$/.exec(location);
    if (!match) return null;
    const file = resolve(this.dir, match[1]!, `${match[2]}.${EXTENSION[format]}`);
    if (!file.startsWith(resolve(this.dir))) return null;
    try {
      return await readFile(file);
    } catch (error) {
      if (hasErrorCode(error, 'ENOENT')) return null;
      throw error;
    }
  }
}

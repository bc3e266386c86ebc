/**
 * The order test files start in. Vitest queues projects one after another by name; here the
 * files that run bots in processes of their own (the longest: retries, restarts, outages, the
 * browser) start first, then the in-process bots, then the quick unit files that fill the gaps at
 * the end. Within a project, vitest's own order (the last run's slowest first, or the largest file
 * first on a clean clone) is kept. The files of a project that shares a process stay together:
 * vitest hands a worker's process on only to the next file in the queue of the same project.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const PROJECT_ORDER = ['system', 'child', 'sdk', 'bot', 'unit'];

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const at = PROJECT_ORDER.indexOf(spec.project.name);
      return at < 0 ? PROJECT_ORDER.length : at;
    };
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

/**
 * Runs once before the test files: builds `dist/` (`npm run build`), so every test that starts the
 * bot as its own process runs the same compiled bundle as `npm start` and the Docker image. In
 * watch mode it rebuilds before each re-run.
 */
import type { TestProject } from 'vitest/node';
import { buildBundles } from '../../scripts/build.js';

export default async function setup(project: TestProject): Promise<void> {
  await buildBundles();
  project.onTestsRerun(() => buildBundles());
}

import { readFileSync } from 'node:fs';
import { App, type AppProps } from 'aws-cdk-lib';
import { REPO_ROOT } from './import-function.ts';

/** The context `cdk synth` runs with (feature flags included), so tests see what a deploy would. */
export const cdkJsonContext = (): Record<string, unknown> => {
  const cdkJson = JSON.parse(readFileSync(`${REPO_ROOT}cdk.json`, 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
};

/** An App with the project's context that skips asset bundling: for tests and definition extraction. */
export const unbundledApp = (props: AppProps = {}): App =>
  new App({ ...props, context: { ...cdkJsonContext(), ...props.context, 'aws:cdk:bundling-stacks': [] } });

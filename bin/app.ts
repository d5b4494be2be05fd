import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ImportStack } from '#stacks/import-stack.ts';
import { settingsFromContext } from '#stacks/stack-settings.ts';

const app = new App();
new ImportStack(app, 'CrmImport', settingsFromContext(app.node));
// cdk-nag's AwsSolutions pack: an unacknowledged finding fails `cdk synth` (lib/stacks/acknowledged.ts
// holds the ones kept on purpose, with their reasons).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

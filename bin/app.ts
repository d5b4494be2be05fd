import { App } from 'aws-cdk-lib';
import { ImportStack } from '#stacks/import-stack.ts';
import { settingsFromContext } from '#stacks/stack-settings.ts';

const app = new App();
new ImportStack(app, 'CrmImport', settingsFromContext(app.node));

import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { resolveSettings, StackSettingsError, settingsFromContext } from '#stacks/stack-settings.ts';

describe('ImportStack settings', () => {
  it('falls back to the target defaults', () => {
    // Act
    const settings = resolveSettings({ target: 'clarify' });

    // Assess
    expect(settings).toMatchObject({
      target: 'clarify',
      rateLimit: '3000/60',
      importsPrefix: 'imports/',
      baseUrlIsPlaceholder: true,
      entities: ['company', 'person', 'deal'],
    });
  });

  it('reads target, base URL, rate limit and prefix from CDK context', () => {
    // Prepare
    const app = new App({
      context: {
        target: 'clarify',
        baseUrl: 'https://api.clarify.ai/v1/workspaces/ws_1/',
        rateLimit: '30/3',
        importsPrefix: 'drop/',
      },
    });

    // Act
    const settings = resolveSettings(settingsFromContext(app.node));

    // Assess
    expect(settings).toMatchObject({
      targetBaseUrl: 'https://api.clarify.ai/v1/workspaces/ws_1',
      baseUrlIsPlaceholder: false,
      rateLimit: '30/3',
      importsPrefix: 'drop/',
    });
  });

  it.each([
    [{ rateLimit: '100 per 10s' }, /rateLimit '100 per 10s'/],
    [{ rateLimit: '0/10' }, /rateLimit/],
    [{ targetBaseUrl: 'api.clarify.ai' }, /baseUrl/],
    [{ importsPrefix: 'imports' }, /must be a folder/],
    [{ importsPrefix: 'jobs/' }, /overlaps the pipeline's working prefix 'jobs\/'/],
    [{ importsPrefix: 'reports/incoming/' }, /overlaps/],
  ])('rejects %o with a message naming the problem', (override, message) => {
    // Act
    const act = () => resolveSettings({ target: 'clarify', ...override });

    // Assess
    expect(act).toThrow(StackSettingsError);
    expect(act).toThrow(message);
  });

  it('rejects an unknown target from context', () => {
    // Prepare
    const app = new App({ context: { target: 'hubspot' } });

    // Act
    const act = () => settingsFromContext(app.node);

    // Assess
    expect(act).toThrow("Unknown target 'hubspot': expected one of clarify");
  });
});

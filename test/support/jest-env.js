// Suites that boot the app start from an empty store unless they seed it themselves.
process.env.DEMO_DATA = 'off';
// ts-jest cannot load a worker thread's TypeScript entry: tests run projections in the app's thread.
process.env.PROJECTIONS = 'inline';
// Scheduled policy briefs would append events during long suites that count them.
process.env.BRIEF_SCHEDULE = 'off';

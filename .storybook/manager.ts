import { addons } from 'storybook/manager-api';

// Each demo explains itself above the canvas, with the devtools panel beside it: Storybook's own
// addon panel (controls, accessibility) starts closed, so the demo has the height (its toolbar
// button opens it).
addons.setConfig({ showPanel: false });

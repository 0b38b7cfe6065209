// The wire tests run real sockets: React is updated from network callbacks at any moment, as in a
// browser, and the tests wait for what the screen shows (Testing Library's waitFor). That is not an
// act() environment, so tell React (Testing Library still enables it inside its own act calls).
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;

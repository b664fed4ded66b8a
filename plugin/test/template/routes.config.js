// Tests replace this file to exercise the `routes` option.
export const routes = undefined;

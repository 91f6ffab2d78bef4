// A module with no tasks.
export const answer = 42;

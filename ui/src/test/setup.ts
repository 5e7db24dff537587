import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

// The screens' tests wait for answers and re-renders; on a busy machine (a build alongside) that
// takes longer than Testing Library's one second, which is a slow machine, not a failure.
configure({ asyncUtilTimeout: 5_000 });

afterEach(cleanup);

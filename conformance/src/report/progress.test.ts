import { describe, expect, it } from "vitest";
import { createProgress } from "./progress.js";

function fakeStream(isTTY: boolean, columns?: number) {
  const writes: string[] = [];
  const stream = {
    isTTY,
    columns,
    write(chunk: string) {
      writes.push(chunk);
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

const rewrite = "\r\u001b[2K";

describe("createProgress", () => {
  it("writes nothing at all off a TTY", () => {
    const { stream, writes } = fakeStream(false, 80);
    const progress = createProgress(stream, "check gradient");
    progress.update(1, 31, "envelope.id");
    progress.update(2, 31, "envelope.object");
    progress.done();
    expect(writes).toEqual([]);
  });

  it("rewrites one line in place on a TTY and clears it when done", () => {
    const { stream, writes } = fakeStream(true, 80);
    const progress = createProgress(stream, "check gradient");
    progress.update(12, 31, "envelope.id");
    progress.update(13, 31, "framing.done-last");
    progress.done();
    expect(writes).toEqual([
      `${rewrite}check gradient  12/31  envelope.id`,
      `${rewrite}check gradient  13/31  framing.done-last`,
      rewrite,
    ]);
    expect(writes.join("")).not.toContain("\n");
  });

  it("skips a write that would not change the line, and ignores updates after done", () => {
    const { stream, writes } = fakeStream(true, 80);
    const progress = createProgress(stream, "replay");
    progress.update(1, 2, "a");
    progress.update(1, 2, "a");
    progress.done();
    progress.update(2, 2, "b");
    progress.done();
    expect(writes).toEqual([`${rewrite}replay  1/2  a`, rewrite]);
  });

  it("stays one column short of the edge, since a wrapped line cannot be rewritten", () => {
    const { stream, writes } = fakeStream(true, 20);
    createProgress(stream, "check gradient").update(1, 2, "a-very-long-case-id");
    expect(writes).toEqual([`${rewrite}check gradient  1/…`]);
    expect([...(writes[0] ?? "").slice(rewrite.length)]).toHaveLength(19);
  });

  it("keeps control characters in a case id from moving the cursor", () => {
    const { stream, writes } = fakeStream(true, 80);
    createProgress(stream, "replay").update(1, 1, "odd\nname\u001b[2J");
    expect(writes).toEqual([`${rewrite}replay  1/1  odd\\nname\\u001b[2J`]);
  });

  it("writes nothing when done before any update", () => {
    const { stream, writes } = fakeStream(true, 80);
    createProgress(stream, "replay").done();
    expect(writes).toEqual([]);
  });
});

describe("createProgress while waiting", () => {
  function manualClock() {
    let now = 0;
    const ticks = new Set<() => void>();
    return {
      clock: {
        now: () => now,
        every(_ms: number, tick: () => void) {
          ticks.add(tick);
          return () => ticks.delete(tick);
        },
      },
      advance(ms: number) {
        now += ms;
        for (const tick of ticks) tick();
      },
      ticking: () => ticks.size,
    };
  }

  it("names the probe being waited on with the seconds so far, and drops it when the answer is in", () => {
    const { stream, writes } = fakeStream(true, 120);
    const time = manualClock();
    const progress = createProgress(stream, "check gradient", time.clock);
    progress.update(3, 40, "framing.done-sentinel");
    progress.waiting("the logprobs stream");
    time.advance(2500);
    progress.waiting(undefined);
    expect(time.ticking()).toBe(0);
    progress.done();
    expect(writes).toEqual([
      `${rewrite}check gradient  3/40  framing.done-sentinel`,
      `${rewrite}check gradient  3/40  framing.done-sentinel  · waiting on the logprobs stream 0 s`,
      `${rewrite}check gradient  3/40  framing.done-sentinel  · waiting on the logprobs stream 2 s`,
      `${rewrite}check gradient  3/40  framing.done-sentinel`,
      rewrite,
    ]);
  });

  it("stops ticking when done while still waiting", () => {
    const { stream } = fakeStream(true, 120);
    const time = manualClock();
    const progress = createProgress(stream, "check gradient", time.clock);
    progress.waiting("the plain stream");
    progress.done();
    expect(time.ticking()).toBe(0);
  });

  it("waits silently off a TTY", () => {
    const { stream, writes } = fakeStream(false, 120);
    const progress = createProgress(stream, "check", manualClock().clock);
    progress.waiting("the plain stream");
    progress.done();
    expect(writes).toEqual([]);
  });
});

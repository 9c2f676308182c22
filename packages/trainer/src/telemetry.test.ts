import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, TelemetryDecodeError, type TelemetryMessage } from './telemetry.ts';

describe('telemetry', () => {
  it('round-trips every message type through one NDJSON line', () => {
    const messages: TelemetryMessage[] = [
      { type: 'started', backend: 'wasm', detail: 'wasm (SIMD, 1 thread)' },
      {
        type: 'report',
        report: {
          step: 3,
          scalars: { train_loss: 0.25, test_acc: 1 },
          vectors: { embed_fourier_norms: [1, 2.5] },
          elapsedMs: 12.5,
        },
      },
      { type: 'completed' },
      { type: 'failed', error: 'backend exploded' },
    ];
    for (const message of messages) {
      const line = encodeMessage(message);
      expect(line).not.toContain('\n');
      expect(decodeMessage(line)).toEqual(message);
    }
  });

  it('carries NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity"', () => {
    const message: TelemetryMessage = {
      type: 'report',
      report: {
        step: 9,
        scalars: { train_loss: Number.NaN, test_loss: Number.POSITIVE_INFINITY },
        vectors: { embed_fourier_norms: [Number.NEGATIVE_INFINITY, 0, Number.NaN] },
        elapsedMs: 1,
      },
    };
    const line = encodeMessage(message);
    expect(JSON.parse(line).report.scalars).toEqual({ train_loss: 'NaN', test_loss: 'Infinity' });
    expect(decodeMessage(line)).toEqual(message);
  });

  it('rejects malformed lines, naming the field, the expectation and what arrived', () => {
    const reject = (line: string) => {
      try {
        decodeMessage(line);
      } catch (error) {
        expect(error).toBeInstanceOf(TelemetryDecodeError);
        return (error as Error).message;
      }
      throw new Error(`accepted ${line}`);
    };
    expect(
      reject(
        '{"type":"report","report":{"step":1,"scalars":{"train_loss":"high"},"vectors":{},"elapsedMs":0}}',
      ),
    ).toMatch(/report\.scalars\.train_loss: expected a number .*received "high"/);
    expect(reject('{"type":"report","report":{"step":-1,"scalars":{},"vectors":{},"elapsedMs":0}}')).toMatch(
      /report\.step: .*>=0.*received -1/,
    );
    expect(reject('{"type":"started","backend":"wasm"}')).toMatch(
      /detail: .*expected string, received undefined$/,
    );
    expect(reject('{"type":"paused"}')).toMatch(/^telemetry: type: .*received "paused"/);
    expect(reject('{"type":"completed","extra":1}')).toBe('telemetry: extra: unexpected field; received 1');
    expect(reject('not json')).toMatch(/expected one JSON object per line, received "not json"/);
  });
});

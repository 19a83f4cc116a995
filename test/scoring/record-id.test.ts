import { describe, expect, it } from 'vitest';
import { recordIdOf } from '../../src/core/sources.js';

describe('recordIdOf', () => {
  it('reads each source id field; endpoint 4104 events are Computer:EventRecordID', () => {
    expect(recordIdOf('ual', { Id: 'u-1' })).toBe('u-1');
    expect(recordIdOf('graphActivity', { properties: { requestId: 'r-1' } })).toBe('r-1');
    expect(recordIdOf('signIns', { properties: { id: 's-1' } })).toBe('s-1');
    expect(recordIdOf('endpointPowerShell', { Computer: 'IT-1.contoso.local', EventRecordID: 8851559 })).toBe(
      'IT-1.contoso.local:8851559',
    );
    expect(recordIdOf('endpointPowerShell', { EventRecordID: 1 })).toBeUndefined();
    expect(recordIdOf('graphActivity', { properties: {} })).toBeUndefined();
  });
});

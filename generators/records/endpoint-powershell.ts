/**
 * Windows PowerShell script-block logging, event 4104 ("Creating Scriptblock text"), from admin
 * hosts where Defender for Endpoint or script-block logging is on (DESIGN.md, MITRE DET0229 /
 * AN0641). Shape: the System + EventData fields of the Microsoft-Windows-PowerShell/Operational
 * event flattened to one JSON object, as Windows event collectors (Get-WinEvent | ConvertTo-Json,
 * WEF-to-SIEM pipelines) render it. There is no public redistributable sample in
 * reference/samples; provider GUID, task, opcode and level are those of the Windows manifest.
 */
import { ticksTime } from './common.js';

export interface ScriptBlockInput {
  time: number;
  ticks: number;
  computer: string;
  eventRecordId: number;
  userSid: string;
  processId: number;
  threadId: number;
  scriptBlockId: string;
  text: string;
  /** 3 (Warning) when PowerShell flags the block as suspicious, else 5 (Verbose) */
  level: 3 | 5;
}

export function scriptBlock4104(s: ScriptBlockInput): Record<string, unknown> {
  return {
    TimeCreated: ticksTime(s.time, s.ticks),
    EventID: 4104,
    EventRecordID: s.eventRecordId,
    ProviderName: 'Microsoft-Windows-PowerShell',
    ProviderGuid: '{A0C1853B-5C40-4B15-8766-3CF1C58F985A}',
    Channel: 'Microsoft-Windows-PowerShell/Operational',
    Computer: s.computer,
    Level: s.level,
    Task: 2,
    Opcode: 15,
    Keywords: '0x0',
    ProcessID: s.processId,
    ThreadID: s.threadId,
    UserID: s.userSid,
    MessageNumber: 1,
    MessageTotal: 1,
    ScriptBlockText: s.text,
    ScriptBlockId: s.scriptBlockId,
    Path: '',
  };
}

/** The record id a detector cites for a 4104 event: host + event record id (EventRecordID is per host). */
export function scriptBlockRecordId(computer: string, eventRecordId: number): string {
  return `${computer}:${eventRecordId}`;
}

// Resident memory of a process from Linux's /proc/<pid>/status: now (VmRSS) and its peak so far (VmHWM), in MB.
import fs from "node:fs";

export function processMemoryMb(pid: number | "self" = "self"): { rssMb: number; peakMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const mb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { rssMb: mb("VmRSS"), peakMb: mb("VmHWM") };
}

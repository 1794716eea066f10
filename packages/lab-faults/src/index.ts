export {
  activeFaults,
  describeFaults,
  FAULT_LIMITS,
  FAULT_NAMES,
  getFaults,
  handleAdminRequest,
  handleFaultsRequest,
  isLoopback,
  LAB_FAULTS_ATTRIBUTE,
  NO_FAULTS,
  parseFaults,
  patchFaults,
  setFaults,
  type FaultName,
  type LabFaults,
} from './faults.js';
export { LabFaultsSpanProcessor } from './faults-processor.js';

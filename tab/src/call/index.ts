export { CallEngine, sdpSessionOf, type CallEvent, type CallPhase } from './call-engine';
export { LocalMedia, MediaError, mediaFailureOf, type MediaFailure } from './media';
export { canvasBlob, type ReceivedImage } from './images';
export { createMemorySignallingPair } from './memory-signalling';
export { HttpSignalling, SignalError, type Signalling } from './signalling';
export { levelOf, type Quality, type QualityLevel } from './quality';
export { MAX_CHAT_LENGTH, type CallRole, type ImageKind } from './protocol';

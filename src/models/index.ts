export * from "./knownValues.js";
export * from "./session.js";
export * from "./detection.js";
export * from "./verifyImage.js";
export * from "./audience.js";
export * from "./responseMetadata.js";

export * from "./knownValues.js";
export * from "./session.js";
export * from "./detection.js";
export * from "./verifyImage.js";

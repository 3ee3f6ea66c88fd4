/**
 * Compile-time proof that buildHttpLambdaFn's package types cannot be mixed.
 *
 * Each `@ts-expect-error` line MUST fail to type-check: if the union ever loosens (say `layers` becomes legal
 * on an Image function, the bug that silently dropped the OTEL layer), that directive becomes unused and
 * `tsc --noEmit` (part of `npm test`) fails. The shapes are only type-checked, never deployed.
 */
import { it } from "node:test";
import * as assert from "node:assert/strict";
import type * as pulumi from "@pulumi/pulumi";
import type * as aws from "@pulumi/aws";
import type { BuildHttpLambdaFnArgs } from "../lib/scorer/new_service";

const role = undefined as unknown as aws.iam.Role; // type-only stand-ins: nothing is deployed here
const code = undefined as unknown as pulumi.asset.Archive;

const common = {
  name: "typed",
  privateSubnetSecurityGroup: "sg-1",
  vpcPrivateSubnetIds: ["subnet-1"],
  environment: [],
  role,
  roleAttachments: [],
  memorySize: 256,
  alb: { listenerArn: "arn", priority: 1, conditions: [] },
};

const validZip: BuildHttpLambdaFnArgs = {
  ...common,
  packageType: "Zip",
  code,
  handler: "bootstrap",
  runtime: "provided.al2023",
  architectures: ["arm64"],
  layers: ["arn:layer"],
};

const validImage: BuildHttpLambdaFnArgs = { ...common, packageType: "Image", imageUri: "repo:tag", dockerCmd: ["h"] };

// @ts-expect-error an Image function has no layers (Lambda does not support layers for images)
const imageWithLayers: BuildHttpLambdaFnArgs = { ...common, packageType: "Image", imageUri: "repo:tag", dockerCmd: ["h"], layers: ["arn:layer"] };

// @ts-expect-error an Image function has no zip code/handler/runtime
const imageWithZipCode: BuildHttpLambdaFnArgs = { ...common, packageType: "Image", imageUri: "repo:tag", dockerCmd: ["h"], code, handler: "bootstrap" };

// @ts-expect-error a Zip function has no imageUri
const zipWithImageUri: BuildHttpLambdaFnArgs = { ...validZip, packageType: "Zip", imageUri: "repo:tag" };

// @ts-expect-error a Zip function has no dockerCmd
const zipWithDockerCmd: BuildHttpLambdaFnArgs = { ...validZip, packageType: "Zip", dockerCmd: ["h"] };

// @ts-expect-error a Zip function must name its architectures (the default x86_64 breaks the arm64 layer)
const zipWithoutArchitectures: BuildHttpLambdaFnArgs = { ...common, packageType: "Zip", code, handler: "bootstrap", runtime: "provided.al2023" };

// @ts-expect-error a Zip function needs its code archive
const zipWithoutCode: BuildHttpLambdaFnArgs = { ...common, packageType: "Zip", handler: "bootstrap", runtime: "provided.al2023", architectures: ["arm64"] };

// @ts-expect-error an unknown architecture name
const zipWrongArchitecture: BuildHttpLambdaFnArgs = { ...validZip, architectures: ["aarch64"] };

// @ts-expect-error an unknown package type
const unknownPackageType: BuildHttpLambdaFnArgs = { ...common, packageType: "Docker", imageUri: "repo:tag", dockerCmd: ["h"] };

it("the valid shapes type-check and keep their discriminant", () => {
  assert.equal(validZip.packageType, "Zip");
  assert.equal(validImage.packageType, "Image");
  // The invalid shapes above exist only for the compiler; referencing them keeps noUnusedLocals quiet.
  const invalid = [imageWithLayers, imageWithZipCode, zipWithImageUri, zipWithDockerCmd, zipWithoutArchitectures, zipWithoutCode, zipWrongArchitecture, unknownPackageType];
  assert.equal(invalid.length, 8);
});

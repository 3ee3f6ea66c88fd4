/** Waits for every stack output of the program; the outputs depend on every resource the program creates. */
import * as pulumi from "@pulumi/pulumi";
import { valueOf } from "./pulumi-mocks";

export async function registeredAll(program: Record<string, unknown>): Promise<void> {
  await Promise.all(Object.values(program).filter((v) => pulumi.Output.isInstance(v)).map((v) => valueOf(v as pulumi.Output<unknown>)));
}

/**
 * Types for ml-levenberg-marquardt@5.1.0. The package ships its own declarations but
 * only behind "exports" (ESM), which `moduleResolution: node10` does not read; these
 * mirror the parts src/scaling/fit.ts uses.
 */
declare module 'ml-levenberg-marquardt' {
  export interface Data2D {
    x: ArrayLike<number>;
    y: ArrayLike<number>;
  }
  export type ParameterizedFunction = (params: number[]) => (x: number) => number;
  export type JacobianFunction = (params: number[]) => (x: number) => number[];
  export interface LevenbergMarquardtOptions {
    initialValues: ArrayLike<number>;
    weights?: number | ArrayLike<number>;
    damping?: number;
    dampingStepDown?: number;
    dampingStepUp?: number;
    improvementThreshold?: number;
    gradientDifference?: number | ArrayLike<number>;
    centralDifference?: boolean;
    minValues?: ArrayLike<number>;
    maxValues?: ArrayLike<number>;
    maxIterations?: number;
    errorTolerance?: number;
    timeout?: number;
    jacobianFunction?: JacobianFunction;
  }
  export interface LevenbergMarquardtReturn {
    parameterValues: number[];
    /** The (weighted) sum of squared residuals, not an uncertainty. */
    parameterError: number;
    iterations: number;
  }
  export function levenbergMarquardt(
    data: Data2D,
    parameterizedFunction: ParameterizedFunction,
    options: LevenbergMarquardtOptions,
  ): LevenbergMarquardtReturn;
}

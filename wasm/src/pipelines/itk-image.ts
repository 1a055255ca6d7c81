/**
 * Conversions between itk-wasm `Image` objects and our geometry / volume types.
 *
 * Direction layout (verified on the oblique dcm-qa-ts MR slice, see reference-reader.test.ts): itk-wasm's
 * `image.direction` is the ITK direction matrix in row-major order, so column c (elements c, 3+c, 6+c) is the LPS
 * unit vector of index axis c — exactly our ImageGeometry.directionLPS layout; it is copied as is.
 */
import type { Image } from 'itk-wasm';
import type { ImageGeometry, Vec3 } from '../geometry/types.ts';

/** Typed arrays an itk-wasm scalar image can carry. */
export type ItkScalarArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

function vec3(values: ArrayLike<number>, what: string, source: string): Vec3 {
  if (values.length < 3) throw new Error(`${source}: itk image ${what} has ${values.length} elements, expected 3`);
  const v: Vec3 = [Number(values[0]), Number(values[1]), Number(values[2])];
  if (!v.every(Number.isFinite)) throw new Error(`${source}: itk image ${what} is not finite: ${v.join(', ')}`);
  return v;
}

/** ImageGeometry of a 2-D or 3-D itk-wasm image (2-D images get size 1 and spacing 1 along k, direction identity in k). */
export function geometryFromItkImage(image: Image, source: string): ImageGeometry {
  const dim = image.imageType.dimension;
  if (dim === 3) {
    if (image.direction.length !== 9) throw new Error(`${source}: itk image direction has ${image.direction.length} elements, expected 9`);
    return {
      sizeIJK: vec3(image.size, 'size', source),
      spacingMm: vec3(image.spacing, 'spacing', source),
      originLPS: vec3(image.origin, 'origin', source),
      directionLPS: Array.from(image.direction as ArrayLike<number>, Number),
    };
  }
  if (dim === 2) {
    const d = Array.from(image.direction as ArrayLike<number>, Number);
    return {
      sizeIJK: [image.size[0], image.size[1], 1],
      spacingMm: [image.spacing[0], image.spacing[1], 1],
      originLPS: [image.origin[0], image.origin[1], 0],
      directionLPS: [d[0], d[1], 0, d[2], d[3], 0, 0, 0, 1],
    };
  }
  throw new Error(`${source}: itk image has dimension ${dim}; only 2-D and 3-D scalar images are supported`);
}

/** The scalar pixel buffer of an itk-wasm image, checked for length and component count. */
export function scalarDataFromItkImage(image: Image, source: string): ItkScalarArray {
  if (image.imageType.components !== 1) {
    throw new Error(`${source}: itk image has ${image.imageType.components} components per pixel; only scalar images are supported`);
  }
  const data = image.data;
  if (data === null) throw new Error(`${source}: itk image has no pixel data`);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    throw new Error(`${source}: itk image has 64-bit integer pixels (${image.imageType.componentType}); not supported`);
  }
  const expected = image.size.reduce((a, b) => a * b, 1);
  if (data.length !== expected) {
    throw new Error(`${source}: itk image pixel buffer has ${data.length} values, size ${image.size.join('x')} needs ${expected}`);
  }
  return data as ItkScalarArray;
}

/** Build a 3-D itk-wasm image (scalar) on a geometry; used to feed itk-wasm filters. */
export function itkImageFromScalar(
  geometry: ImageGeometry,
  data: Uint8Array | Int16Array | Uint16Array,
  name: string,
): Image {
  const componentType = data instanceof Uint8Array ? 'uint8' : data instanceof Int16Array ? 'int16' : 'uint16';
  const [ni, nj, nk] = geometry.sizeIJK;
  if (data.length !== ni * nj * nk) {
    throw new Error(`${name}: buffer has ${data.length} values, geometry ${ni}x${nj}x${nk} needs ${ni * nj * nk}`);
  }
  return {
    imageType: { dimension: 3, componentType, pixelType: 'Scalar', components: 1 },
    name,
    origin: [...geometry.originLPS],
    spacing: [...geometry.spacingMm],
    direction: Float64Array.from(geometry.directionLPS),
    size: [ni, nj, nk],
    metadata: new Map(),
    data,
  } as unknown as Image;
}

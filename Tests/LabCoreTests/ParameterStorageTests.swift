import Testing
@testable import LabCore

/// A parameter's value and gradient are written in place: an optimizer step
/// or a gradient product into them must not copy the tensor first (a
/// `lazy var` does, through its getter and setter, on every write).
@Suite struct ParameterStorageTests {
    func address(_ tensor: inout Tensor) -> UnsafeMutablePointer<Float> {
        tensor.withUnsafeMutableBufferPointer { $0.baseAddress! }
    }

    @Test func writesKeepTheStorageOfADeclaredParameter() {
        let parameter = Parameter(name: "kernel", shape: [64, 32])
        let (value, gradient) = (address(&parameter.value), address(&parameter.gradient))
        parameter.value.withUnsafeMutableBufferPointer { $0[0] = 1 }
        parameter.gradient.withUnsafeMutableBufferPointer { $0[0] = 2 }
        #expect(address(&parameter.value) == value && address(&parameter.gradient) == gradient)
        #expect(parameter.value[0] == 1 && parameter.gradient[0] == 2 && parameter.value[1] == 0)
    }

    @Test func writesKeepTheStorageOfAGivenValue() {
        let parameter = Parameter(name: "bias", value: Tensor(shape: [3], scalars: [1, 2, 3]))
        let value = address(&parameter.value)
        parameter.value.withUnsafeMutableBufferPointer { $0[2] = 9 }
        #expect(address(&parameter.value) == value && parameter.value.scalars == [1, 2, 9])
    }

    @Test func aDeclaredParameterStartsAtItsValue() {
        let parameter = Parameter(name: "alpha", shape: [4], repeating: 0.25)
        #expect(parameter.value.scalars == [0.25, 0.25, 0.25, 0.25] && parameter.gradient.scalars == [0, 0, 0, 0])
    }
}

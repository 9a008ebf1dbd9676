import LabCore
import LabIO

/// The one place every built-in module registers: this target's, and the
/// datasets LabIO reads from files.
public enum BuiltinModules {
    public static func register(in registry: inout Registry) {
        Dense.register(in: &registry)
        Conv2D.register(in: &registry)
        ConvTranspose2D.register(in: &registry)
        MaxPool2D.register(in: &registry)
        Upsample2D.register(in: &registry)
        Reshape.register(in: &registry)
        Normalize.register(in: &registry)
        ReLU.register(in: &registry)
        Sigmoid.register(in: &registry)
        Tanh.register(in: &registry)
        Identity.register(in: &registry)
        LeakyReLU.register(in: &registry)
        Softplus.register(in: &registry)
        Erf.register(in: &registry)
        PReLU.register(in: &registry)
        MeanSquaredError.register(in: &registry)
        BinaryCrossEntropy.register(in: &registry)
        StochasticGradientDescent.register(in: &registry)
        RMSprop.register(in: &registry)
        Adam.register(in: &registry)
        ConstantSchedule.register(in: &registry)
        StepSchedule.register(in: &registry)
        CosineSchedule.register(in: &registry)
        VarianceScaling.register(in: &registry)
        PyTorchLinear.register(in: &registry)
        Constant.register(in: &registry)
        RandomNormal.register(in: &registry)
        RandomDataset.register(in: &registry)
        FileDatasets.register(in: &registry)
        GaussianNoise.register(in: &registry)
        MaskingNoise.register(in: &registry)
        SaltAndPepperNoise.register(in: &registry)
        Occlusion.register(in: &registry)
        Rotation.register(in: &registry)
        PixelPermutation.register(in: &registry)
        L1ActivityPenalty.register(in: &registry)
        KLSparsityPenalty.register(in: &registry)
        L2WeightPenalty.register(in: &registry)
        FixedPointsAnalysis.register(in: &registry)
        JacobianSpectrumAnalysis.register(in: &registry)
        AttractorsAnalysis.register(in: &registry)
        BasinsAnalysis.register(in: &registry)
        IteratesAnalysis.register(in: &registry)
        ReconstructionsAnalysis.register(in: &registry)
        WeightPicturesAnalysis.register(in: &registry)
        LatentCodesAnalysis.register(in: &registry)
        PCAAnalysis.register(in: &registry)
    }

    /// A registry holding the built-ins alone.
    public static var registry: Registry {
        var registry = Registry()
        register(in: &registry)
        return registry
    }
}

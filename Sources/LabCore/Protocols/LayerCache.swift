/// What a layer's `forward` keeps for its `backward` and `jvp`: typically the
/// input, sometimes the output or indices. Each layer defines its own type.
public protocol LayerCache {}

/// One Keras layer as Keras's legacy `.h5` model config writes it:
/// `{"class_name": "Dense", "config": {"name": "dense_1", "units": 4, ...}}`.
/// Keys left out take Keras's defaults.
public struct KerasLayerConfig: Sendable, Equatable {
    public var className: String
    public var name: String
    public var options: [ConfigValue.Entry]

    public init(_ className: String, name: String, _ options: [ConfigValue.Entry] = []) {
        self.className = className
        self.name = name
        self.options = options
    }

    /// The JSON form: the class name and the config, which holds the name.
    public var value: ConfigValue {
        .map([
            ConfigValue.Entry("class_name", .string(className)),
            ConfigValue.Entry("config", .map([ConfigValue.Entry("name", .string(name))] + options)),
        ])
    }
}

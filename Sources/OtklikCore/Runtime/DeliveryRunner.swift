/// The delivery runner the pipeline fans incidents out to: one per sink.
typealias DeliveryRunner = SinkRunner

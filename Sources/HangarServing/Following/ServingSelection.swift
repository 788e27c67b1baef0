/// Which models a serving process serves.
public enum ServingSelection: Sendable, Equatable {
    /// Every registered model that has this alias (the default for `hangar up`: `production`).
    case everyModel(alias: String)
    /// Exactly these models, each from its alias (`hangar serve --model NAME@ALIAS`).
    case models([ModelReference])

    /// A model and the alias it is served from.
    public struct ModelReference: Sendable, Equatable {
        public var name: String
        public var alias: String

        public init(name: String, alias: String) {
            self.name = name
            self.alias = alias
        }

        /// Parses `NAME@ALIAS` (alias defaulting to `defaultAlias`).
        public init(parsing text: String, defaultAlias: String) throws(ServingLoadError) {
            let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard let name = parts.first, !name.isEmpty else { throw .source("'\(text)' is not NAME@ALIAS") }
            let alias = parts.count > 1 ? parts[1] : defaultAlias
            guard !alias.isEmpty else { throw .source("'\(text)' names no alias after '@'") }
            self.init(name: name, alias: alias)
        }
    }
}

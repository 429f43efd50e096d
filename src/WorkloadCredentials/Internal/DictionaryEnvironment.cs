namespace WorkloadCredentials.Internal;

/// <summary>An environment made of a dictionary: for tests, the recorded scenarios and the CLI's overrides.</summary>
internal sealed class DictionaryEnvironment : IEnvironment
{
    private readonly Dictionary<string, string> _variables;

    public DictionaryEnvironment(IEnumerable<KeyValuePair<string, string>>? variables = null)
    {
        _variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (variables is not null)
        {
            foreach (KeyValuePair<string, string> pair in variables)
            {
                _variables[pair.Key] = pair.Value;
            }
        }
    }

    public string? this[string name]
    {
        get => Get(name);
        set
        {
            if (value is null)
            {
                _ = _variables.Remove(name);
            }
            else
            {
                _variables[name] = value;
            }
        }
    }

    public string? Get(string name) => _variables.TryGetValue(name, out string? value) ? value : null;
}

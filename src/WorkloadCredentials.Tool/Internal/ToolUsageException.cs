namespace WorkloadCredentials.Tool.Internal;

/// <summary>A wrong option value found after parsing (exit code 64). The message says what is wrong and how to fix it.</summary>
internal sealed class ToolUsageException : Exception
{
    public ToolUsageException()
    {
    }

    public ToolUsageException(string message)
        : base(message)
    {
    }

    public ToolUsageException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

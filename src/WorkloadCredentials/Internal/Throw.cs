using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace WorkloadCredentials.Internal;

/// <summary>Argument guards for public entry points.</summary>
internal static class Throw
{
    public static T IfNull<T>([NotNull] T? argument, [CallerArgumentExpression(nameof(argument))] string paramName = "")
        where T : class
    {
        if (argument is null)
        {
            throw new ArgumentNullException(paramName);
        }

        return argument;
    }

    public static string IfNullOrWhiteSpace([NotNull] string? argument, [CallerArgumentExpression(nameof(argument))] string paramName = "")
    {
        if (argument is null)
        {
            throw new ArgumentNullException(paramName);
        }

        if (string.IsNullOrWhiteSpace(argument))
        {
            throw new ArgumentException("The value must not be empty or white space.", paramName);
        }

        return argument;
    }
}

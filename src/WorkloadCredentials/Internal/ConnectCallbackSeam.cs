namespace WorkloadCredentials.Internal;

/// <summary>
/// The dependency injection form of <see cref="CredentialSourceContext.ConnectCallback"/>: registered only by tests (the type is
/// internal, so no application can), it opens every connection the sources of the container's registrations make.
/// </summary>
/// <param name="Connect">Opens a connection (the test suite's: loopback only).</param>
internal sealed record ConnectCallbackSeam(Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Connect);

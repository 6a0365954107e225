using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Wire;

/// <summary>
/// A process the harness started: its output is kept for the failure report, it is stopped by its own PID, and the
/// PID is appended to the pid file so run.sh's trap can stop it if the harness itself dies.
/// </summary>
sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource<Match> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Regex _readyLine;

    private ChildProcess(Process process, Regex readyLine)
    {
        _process = process;
        _readyLine = readyLine;
    }

    public int Id => _process.Id;

    public string Name { get; private init; } = "";

    public static string? PidFile { get; set; }

    /// <summary>Starts <paramref name="file"/> and waits (with a timeout) for a line matching <paramref name="readyLine"/> on stdout or stderr.</summary>
    public static async Task<(ChildProcess Process, Match Ready)> StartAsync(string name, string file, IEnumerable<string> arguments, Regex readyLine, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        var child = new ChildProcess(new Process { StartInfo = info }, readyLine) { Name = name };
        child._process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        child._process.Start();
        if (PidFile is not null)
        {
            File.AppendAllText(PidFile, child.Id + Environment.NewLine);
        }

        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        try
        {
            var ready = await child._ready.Task.WaitAsync(timeout);
            return (child, ready);
        }
        catch (TimeoutException)
        {
            var tail = child.Tail();
            child.Dispose();
            throw new InvalidOperationException($"{name} did not report ready within {timeout.TotalSeconds} s:\n{tail}");
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            _ready.TrySetException(new InvalidOperationException($"{Name} exited before it was ready:\n{Tail()}"));
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        if (_readyLine.Match(line) is { Success: true } match)
        {
            _ready.TrySetResult(match);
        }
    }

    public string Tail(int lines = 30)
    {
        lock (_output)
        {
            return string.Join('\n', _output.Where(l => !l.Contains("Failed to connect to the bus")).TakeLast(lines));
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for a line after the first <paramref name="skip"/> lines to match; null if none does.</summary>
    public async Task<Match?> WaitForLineAsync(Regex line, int skip, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            lock (_output)
            {
                foreach (var text in _output.Skip(skip))
                {
                    if (line.Match(text) is { Success: true } match)
                    {
                        return match;
                    }
                }
            }

            await Task.Delay(50);
        }

        return null;
    }

    /// <summary>How many lines the process has written so far.</summary>
    public int LineCount
    {
        get
        {
            lock (_output)
            {
                return _output.Count;
            }
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to exit by itself.</summary>
    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }
}

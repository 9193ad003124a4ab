// hfpl: train CAM baselines with and without the Hfpl add-on and compare their pseudo-labels.
return Hfpl.Cli.HfplCli.Run(args);

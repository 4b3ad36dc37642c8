"""A plan as one ffmpeg command: still pictures looped in memory, overlaid with expressions in t.

Per frame ffmpeg only blends the small pictures that are on screen at that moment (each picture
stream exists only between its start and end, so an overlay with nothing to add passes the frame
through), evaluates the slide/zoom/growth expressions and fades alpha during fades. Each picture is
decoded and converted to YUV once: the ``loop`` filter repeats the converted frame by reference.

The creator's clip is the only file ffmpeg reads as an input over time; the music is read by the
graph itself (see ``_Graph.audio``), so that the end of a render never waits on a second input.
"""

from __future__ import annotations

import os
import re
import shutil

from .plan import ClipSlot, Element, Plan

ENCODE_VIDEO = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p"]
ENCODE_AUDIO = ["-c:a", "aac", "-b:a", "128k"]
_COLOR_TAGS = ["-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709"]
_TO_YUV = "scale=out_color_matrix=bt709:out_range=tv"
_AUDIO_FORMAT = "aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo"


def _num(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def ease_out_expression(start: float, duration: float) -> str:
    """0 → 1 between start and start + duration, decelerating (cubic)."""
    return f"(1-pow(1-clip((t-{_num(start)})/{_num(duration)},0,1),3))"


def _ease_in(start: float, duration: float) -> str:
    """0 → 1 between start and start + duration, accelerating (cubic)."""
    return f"pow(clip((t-{_num(start)})/{_num(duration)},0,1),3)"


class _Graph:
    def __init__(self, plan: Plan, work_dir: str) -> None:
        self.plan = plan
        self.work_dir = work_dir
        self.inputs: list[list[str]] = []
        self.chains: list[str] = []
        self.fonts: dict[str, str] = {}
        self.clip_input: int | None = None

    def add_input(self, args: list[str]) -> int:
        self.inputs.append(args)
        return len(self.inputs) - 1

    def save_png(self, image, name: str) -> str:
        image.save(os.path.join(self.work_dir, name), compress_level=1)
        return name

    def link(self, path: str, stem: str) -> str:
        """A plain name in work_dir for `path`, so the graph can name the file without escaping."""
        ext = os.path.splitext(path)[1].lower()
        name = stem + (ext if re.fullmatch(r"\.[a-z0-9]{1,8}", ext) else "")
        target = os.path.join(self.work_dir, name)
        try:
            os.symlink(path, target)
        except OSError:
            shutil.copyfile(path, target)
        return name

    def font(self, path: str) -> str:
        if path not in self.fonts:
            self.fonts[path] = self.link(path, f"font{len(self.fonts)}")
        return self.fonts[path]

    def still(self, image, name: str, frames: int, first_frame: int, pix_fmt: str) -> str:
        """A picture as a stream of `frames` frames starting at `first_frame`, converted once."""
        index = self.add_input(["-framerate", str(self.plan.fps), "-i", self.save_png(image, name)])
        return (
            f"[{index}:v]{_TO_YUV},format={pix_fmt},loop=loop={frames - 1}:size=1:start=0,"
            f"settb=1/{self.plan.fps},setpts=N+{first_frame}"
        )

    def clip(
        self, slot: ClipSlot, width: int, height: int, frames: int, first_frame: int, pix_fmt: str
    ) -> str:
        seconds = frames / self.plan.fps + 1
        if self.clip_input is None:
            self.clip_input = self.add_input(
                ["-stream_loop", "-1", "-t", _num(seconds), "-i", slot.path]
            )
        fps = self.plan.fps
        return (
            f"[{self.clip_input}:v]setpts=PTS-STARTPTS,fps={fps},"
            f"scale={width}:{height}:force_original_aspect_ratio=increase:flags=bilinear:"
            f"out_color_matrix=bt709:out_range=tv,crop={width}:{height},setsar=1,format={pix_fmt},"
            f"trim=end_frame={frames},settb=1/{fps},setpts=N+{first_frame}"
        )

    # -- video ----------------------------------------------------------------------------------
    def base(self) -> str:
        plan = self.plan
        if plan.background_clip is not None:
            chain = self.clip(
                plan.background_clip, plan.width, plan.height, plan.frames, 0, "yuv420p"
            )
        else:
            chain = self.still(plan.background, "background.png", plan.frames, 0, "yuv420p")
        if plan.background_zoom is not None:
            z0, z1 = plan.background_zoom
            zoom = f"({_num(z0)}+{_num(z1 - z0)}*t/{_num(plan.duration)})"
            chain += (
                f",scale=w='trunc({plan.width}*{zoom}/2)*2':h='trunc({plan.height}*{zoom}/2)*2'"
                f":eval=frame:flags=bicubic,crop={plan.width}:{plan.height}"
            )
        return chain

    def segments(self, element: Element) -> list[tuple[str, int, int]]:
        """(phase, first frame, frame count): "in" while it enters, "hold", "out" while it leaves.

        Per-frame filters (swscale for zooms and growth, alpha fades that need a private copy of
        every frame) then run only during the transitions; in between the picture is overlaid as
        it is.
        """
        motion, fps = element.motion, self.plan.fps
        first = round(motion.start * fps)
        total = max(1, round(motion.end * fps) - first)
        entering = motion.in_d > 0 and (
            motion.growth or "fade" in motion.fx_in or any(motion.slide_in)
        )
        leaving = motion.out_d > 0 and ("fade" in motion.fx_out or any(motion.slide_out))
        in_frames = min(total, max(1, round(motion.in_d * fps))) if entering else 0
        out_frames = min(total - in_frames, max(1, round(motion.out_d * fps))) if leaving else 0
        hold = total - in_frames - out_frames
        phases = [("in", first, in_frames), ("hold", first + in_frames, hold)]
        phases.append(("out", first + in_frames + hold, out_frames))
        return [phase for phase in phases if phase[2] > 0]

    def phase_filters(self, element: Element, phase: str) -> str:
        motion = element.motion
        filters = []
        if phase == "in":
            growth = motion.growth
            if growth:
                ease = ease_out_expression(motion.start, motion.in_d)
                if growth == "zoom":
                    factor = f"({_num(motion.zoom_from)}+{_num(1 - motion.zoom_from)}*{ease})"
                    w, h = f"max(2,trunc(iw*{factor}))", f"max(2,trunc(ih*{factor}))"
                elif growth == "grow-x":
                    w, h = f"max(2,trunc(iw*{ease}))", "ih"
                else:
                    w, h = "iw", f"max(2,trunc(ih*{ease}))"
                filters.append(f"scale=w='{w}':h='{h}':eval=frame")
            if "fade" in motion.fx_in:
                filters.append(f"fade=t=in:st={_num(motion.start)}:d={_num(motion.in_d)}:alpha=1")
        elif phase == "out" and "fade" in motion.fx_out:
            start = motion.end - motion.out_d
            filters.append(f"fade=t=out:st={_num(start)}:d={_num(motion.out_d)}:alpha=1")
        return "".join("," + f for f in filters)

    def position(self, element: Element, phase: str) -> tuple[str, str]:
        motion = element.motion
        growth = motion.growth if phase == "in" else None
        x_terms: list[str] = [str(element.x)]
        y_terms: list[str] = [str(element.y)]
        if growth == "zoom":
            x_terms = [f"{_num(element.x + element.w / 2)}-overlay_w/2"]
            y_terms = [f"{_num(element.y + element.h / 2)}-overlay_h/2"]
        elif growth == "grow-y":
            y_terms = [f"{element.y + element.h}-overlay_h"]
        if phase in ("in", "clip") and motion.in_d > 0:
            remaining = f"(1-{ease_out_expression(motion.start, motion.in_d)})"
            for terms, offset in ((x_terms, motion.slide_in[0]), (y_terms, motion.slide_in[1])):
                if offset:
                    terms.append(f"({offset})*{remaining}")
        if phase in ("out", "clip") and motion.out_d > 0:
            done = _ease_in(motion.end - motion.out_d, motion.out_d)
            for terms, offset in ((x_terms, motion.slide_out[0]), (y_terms, motion.slide_out[1])):
                if offset:
                    terms.append(f"({offset})*{done}")
        if element.y_follow:
            y_terms.append(f"({element.y_follow})")
        x, y = "+".join(x_terms), "+".join(y_terms)
        return (x if len(x_terms) == 1 and "overlay" not in x else f"'{x}'"), (
            y if len(y_terms) == 1 and "overlay" not in y else f"'{y}'"
        )

    def overlay(self, current: str, stream: str, element: Element, phase: str, label: str) -> None:
        x, y = self.position(element, phase)
        self.chains.append(f"[{current}][{stream}]overlay=x={x}:y={y}:eof_action=pass[{label}]")

    def clip_element(self, k: int, element: Element, current: str, step: int) -> tuple[str, int]:
        """The creator's clip in its slot, scaled and cropped to fill it.

        One stream: splitting it into fade and hold phases (as pictures are) would make ffmpeg
        queue the frames of the later phases while the earlier ones are overlaid.
        """
        motion, fps = element.motion, self.plan.fps
        first = round(motion.start * fps)
        frames = max(1, round(motion.end * fps) - first)
        fades = "fade" in motion.fx_in or "fade" in motion.fx_out
        chain = self.clip(
            element.clip, element.w, element.h, frames, first, "yuva420p" if fades else "yuv420p"
        )
        if "fade" in motion.fx_in and motion.in_d > 0:
            chain += f",fade=t=in:st={_num(motion.start)}:d={_num(motion.in_d)}:alpha=1"
        if "fade" in motion.fx_out and motion.out_d > 0:
            fade_start = _num(motion.end - motion.out_d)
            chain += f",fade=t=out:st={fade_start}:d={_num(motion.out_d)}:alpha=1"
        self.chains.append(chain + f"[e{k}]")
        step += 1
        self.overlay(current, f"e{k}", element, "clip", f"m{step}")
        return f"m{step}", step

    def video(self) -> str:
        plan = self.plan
        self.chains.append(self.base() + "[m0]")
        current, step = "m0", 0
        for k, element in enumerate(plan.elements):
            motion = element.motion
            if element.kind == "count":
                count = element.count
                text_file = f"count{k}.txt"
                with open(os.path.join(self.work_dir, text_file), "w", encoding="utf-8") as handle:
                    handle.write(count.content)
                color = "0x{:02x}{:02x}{:02x}{:02x}".format(*count.color)
                step += 1
                self.chains.append(
                    f"[{current}]drawtext=fontfile={self.font(count.font)}:textfile={text_file}"
                    f":fontsize={count.size}:fontcolor={color}:x='{count.x}':y='{count.y}'"
                    f":y_align=baseline:alpha='{count.alpha}'"
                    f":enable='between(t,{_num(motion.start)},{_num(motion.end)})'[m{step}]"
                )
                current = f"m{step}"
                continue
            if element.kind == "clip":
                current, step = self.clip_element(k, element, current, step)
                continue
            phases = self.segments(element)
            index = self.add_input(
                ["-framerate", str(plan.fps), "-i", self.save_png(element.image, f"layer{k}.png")]
            )
            source = f"[{index}:v]{_TO_YUV},format=yuva420p"
            if len(phases) > 1:
                self.chains.append(
                    source
                    + f",split={len(phases)}"
                    + "".join(f"[s{k}_{p}]" for p, _f, _n in phases)
                )
            for phase, first, frames in phases:
                head = source if len(phases) == 1 else f"[s{k}_{phase}]"
                head += "," if len(phases) == 1 else ""
                repeat = (
                    f"loop=loop={frames - 1}:size=1:start=0,settb=1/{plan.fps},setpts=N+{first}"
                )
                self.chains.append(
                    head + repeat + self.phase_filters(element, phase) + f"[e{k}_{phase}]"
                )
                step += 1
                self.overlay(current, f"e{k}_{phase}", element, phase, f"m{step}")
                current = f"m{step}"
        final = []
        if plan.fade_in > 0:
            final.append(f"fade=t=in:st=0:d={_num(plan.fade_in)}")
        if plan.fade_out > 0:
            final.append(
                f"fade=t=out:st={_num(plan.duration - plan.fade_out)}:d={_num(plan.fade_out)}"
            )
        final.append("split=2[vout][thumbsrc]")
        self.chains.append(f"[{current}]" + ",".join(final))
        k = plan.thumbnail_frame
        self.chains.append(
            f"[thumbsrc]trim=start_frame={k}:end_frame={k + 1},setpts=PTS-STARTPTS[thumb]"
        )
        return "[vout]"

    # -- audio ----------------------------------------------------------------------------------
    def audio(self) -> str:
        plan = self.plan
        duration = _num(plan.duration)
        sources = []
        if plan.music:
            music = plan.music
            fade_out = min(music["fade_out"], plan.duration / 2)
            # The music is read by the graph (amovie, looped and cut by atrim), not as a second
            # input. ffmpeg runs one reader thread per input and lets run the one feeding the
            # input the graph wants most; once the graph has cut the clip (trim/atrim), the
            # clip's input could stay the wanted one after its reader had finished, and nothing
            # was left to read the music's last samples: ffmpeg waited for ever (about 1 render
            # in 10 with a clip and music; finite -stream_loop counts, or music longer than the
            # video, hung too). amovie has no reader thread, so the clip is the only input still
            # read at the end, as without music. movie restarts its timestamps on every loop:
            # asetpts counts them on from the samples.
            chain = (
                f"amovie={self.link(music['path'], 'music')}:loop=0,{_AUDIO_FORMAT},"
                f"asetpts=N/SR/TB,atrim=0:{duration},volume={_num(music['volume'])}"
            )
            if music["fade_in"] > 0:
                chain += f",afade=t=in:d={_num(min(music['fade_in'], plan.duration / 2))}"
            if fade_out > 0:
                chain += f",afade=t=out:st={_num(plan.duration - fade_out)}:d={_num(fade_out)}"
            self.chains.append(chain + "[music]")
            sources.append("[music]")
        slot, start, length = self._clip_audio()
        if slot is not None and self.clip_input is not None:
            delay = round(start * 1000)
            self.chains.append(
                f"[{self.clip_input}:a]{_AUDIO_FORMAT},atrim=0:{_num(length)},asetpts=PTS-STARTPTS,"
                f"volume={_num(slot.volume)},adelay={delay}:all=1[clipaudio]"
            )
            sources.append("[clipaudio]")
        if not sources:
            index = self.add_input(
                ["-f", "lavfi", "-t", duration, "-i", "anullsrc=r=48000:cl=stereo"]
            )
            return f"{index}:a"
        if len(sources) == 2:
            self.chains.append("[music][clipaudio]amix=inputs=2:duration=first:normalize=0[mixed]")
            sources = ["[mixed]"]
        self.chains.append(f"{sources[0]}apad=whole_dur={duration},atrim=0:{duration}[aout]")
        return "[aout]"

    def _clip_audio(self) -> tuple[ClipSlot | None, float, float]:
        plan = self.plan
        if plan.background_clip is not None:
            slot = plan.background_clip
            return (slot if slot.audio == "mix" and slot.has_audio else None), 0.0, plan.duration
        for element in plan.elements:
            if element.kind == "clip" and element.clip.audio == "mix" and element.clip.has_audio:
                return element.clip, element.motion.start, element.motion.end - element.motion.start
        return None, 0.0, 0.0


def build_command(plan: Plan, *, work_dir: str, output_path: str, thumbnail_path: str) -> list[str]:
    """ffmpeg arguments (after the global options) that render the plan; writes the pictures,
    text files and the filter graph into work_dir, which must be ffmpeg's working directory."""
    graph = _Graph(plan, work_dir)
    video = graph.video()
    audio = graph.audio()
    with open(os.path.join(work_dir, "graph.txt"), "w", encoding="utf-8") as handle:
        handle.write(";\n".join(graph.chains))
    # slice threads cost more in synchronisation than they save on these small per-frame jobs
    args: list[str] = ["-filter_complex_threads", "1"]
    for input_args in graph.inputs:
        args += input_args
    args += ["-/filter_complex", "graph.txt"]
    args += ["-map", video, "-map", audio, *ENCODE_VIDEO, "-r", str(plan.fps), *_COLOR_TAGS]
    args += [*ENCODE_AUDIO, "-ar", "48000", "-ac", "2", "-t", _num(plan.duration)]
    args += ["-movflags", "+faststart", "-f", "mp4", output_path]
    args += ["-map", "[thumb]", "-frames:v", "1", "-c:v", "mjpeg", "-q:v", "3"]
    args += ["-update", "1", "-f", "image2", thumbnail_path]
    return args
